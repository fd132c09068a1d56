/** Sent when payment went through and the booking is confirmed: the itinerary the guest keeps. */
import { letter } from './letter';

export const bookingConfirmed = letter({
  name: 'booking_confirmed',
  subject: 'Confirmed: {{itemName}} on {{period.startDay}}',
  preheader: '{{labels.start}} {{period.start}}, {{location}}. Your itinerary is inside.',
  heading: 'Your booking is confirmed',
  to: 'guest',
  lead: 'Thank you: your payment has been received and <strong>{{itemName}}</strong> is reserved for you. Here is your itinerary.',
  itinerary: true,
  callout:
    'Your concierge will be in touch before the day to arrange any final details. Should your plans change, you can amend or cancel your booking from your account or by replying to this email.',
});
