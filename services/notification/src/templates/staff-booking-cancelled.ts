/** To the assigned concierge: their booking was cancelled, so nothing is to be prepared. */
import { calloutStyle, headingStyle, paragraphStyle } from './layout';
import type { TemplateSource } from './template-source';

export const staffBookingCancelled: TemplateSource = {
  name: 'staff_booking_cancelled',
  subject: 'Booking cancelled: {{itemName}}, {{location}}, {{period.startDay}}',
  preheader: 'Booking {{bookingRef}} was cancelled.',
  html: `<h1 style="${headingStyle}">Your booking was cancelled</h1>
<p style="${paragraphStyle}">Dear {{staffName}},</p>
<p style="${paragraphStyle}">Booking <strong>{{bookingRef}}</strong> for <strong>{{itemName}}</strong> in {{location}} was cancelled.{{#if reason}} Reason: {{reason}}.{{/if}}</p>
{{> itinerary}}
<div style="${calloutStyle}">Nothing is to be prepared for it any more; it no longer counts towards your load.</div>`,
  text: `YOUR BOOKING WAS CANCELLED

Dear {{staffName}},

Booking {{bookingRef}} for {{itemName}} in {{location}} was cancelled.{{#if reason}} Reason: {{reason}}.{{/if}}

{{> itineraryText}}

Nothing is to be prepared for it any more; it no longer counts towards your load.`,
};
