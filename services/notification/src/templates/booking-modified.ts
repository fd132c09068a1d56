/** Sent when the dates or add-ons of a booking changed: the new itinerary beside what it replaces. */
import { letter } from './letter';

export const bookingModified = letter({
  name: 'booking_modified',
  subject: 'Updated: your booking of {{itemName}}',
  preheader: 'Now {{period.start}}. Your updated itinerary is inside.',
  heading: 'Your booking has been updated',
  to: 'guest',
  lead: 'The changes to your booking of <strong>{{itemName}}</strong> are confirmed. Your updated itinerary:',
  itinerary: true,
  callout:
    'This replaces your earlier booking from {{previous.start}} to {{previous.end}} ({{previous.duration}}, {{previous.total}}).',
  calloutIf: 'previous',
  closing: 'Any difference in price is settled with your original payment method.',
});
