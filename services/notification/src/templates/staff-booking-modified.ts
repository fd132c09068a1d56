/** To the assigned concierge: their booking's dates or add-ons changed. */
import { calloutStyle, headingStyle, paragraphStyle } from './layout';
import type { TemplateSource } from './template-source';

export const staffBookingModified: TemplateSource = {
  name: 'staff_booking_modified',
  subject: 'Booking changed: {{itemName}}, {{location}}, now {{period.startDay}}',
  preheader: 'Booking {{bookingRef}} now runs from {{period.start}}.',
  html: `<h1 style="${headingStyle}">Your booking has changed</h1>
<p style="${paragraphStyle}">Dear {{staffName}},</p>
<p style="${paragraphStyle}">Booking <strong>{{bookingRef}}</strong> for <strong>{{itemName}}</strong> in {{location}} was changed. Guest: {{guestContact}}. The new itinerary:</p>
{{> itinerary}}
{{#if previous}}
<div style="${calloutStyle}">It replaces {{previous.start}} to {{previous.end}} ({{previous.duration}}, {{previous.total}}).</div>
{{/if}}`,
  text: `YOUR BOOKING HAS CHANGED

Dear {{staffName}},

Booking {{bookingRef}} for {{itemName}} in {{location}} was changed. Guest: {{guestContact}}. The new itinerary:

{{> itineraryText}}
{{#if previous}}

It replaces {{previous.start}} to {{previous.end}} ({{previous.duration}}, {{previous.total}}).
{{/if}}`,
};
