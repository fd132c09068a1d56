/** Sent when payment went through and the booking is confirmed: the itinerary the guest keeps. */
import { calloutStyle, headingStyle, paragraphStyle } from './layout';
import type { TemplateSource } from './template-source';

export const bookingConfirmed: TemplateSource = {
  name: 'booking_confirmed',
  subject: 'Confirmed: {{itemName}} on {{period.startDay}}',
  preheader: '{{labels.start}} {{period.start}}, {{location}}. Your itinerary is inside.',
  html: `<h1 style="${headingStyle}">Your booking is confirmed</h1>
<p style="${paragraphStyle}">Dear {{greetingName}},</p>
<p style="${paragraphStyle}">Thank you: your payment has been received and <strong>{{itemName}}</strong> is reserved for you. Here is your itinerary.</p>
{{> itinerary}}
<div style="${calloutStyle}">Your concierge will be in touch before the day to arrange any final details. Should your plans change, you can amend or cancel your booking from your account or by replying to this email.</div>`,
  text: `YOUR BOOKING IS CONFIRMED

Dear {{greetingName}},

Thank you: your payment has been received and {{itemName}} is reserved for you. Here is your itinerary.

{{> itineraryText}}

Your concierge will be in touch before the day to arrange any final details. Should your plans change, you can amend or cancel your booking from your account or by replying to this email.`,
};
