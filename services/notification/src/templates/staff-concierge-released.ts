/** To a concierge: a booking they had was handed to someone else, so it is no longer theirs. */
import { calloutStyle, headingStyle, paragraphStyle } from './layout';
import type { TemplateSource } from './template-source';

export const staffConciergeReleased: TemplateSource = {
  name: 'staff_concierge_released',
  subject: 'No longer yours: {{itemName}}, {{location}}, {{period.startDay}}',
  preheader: 'Booking {{bookingRef}} was handed to another concierge.',
  html: `<h1 style="${headingStyle}">A booking is no longer yours</h1>
<p style="${paragraphStyle}">Dear {{staffName}},</p>
<p style="${paragraphStyle}">Booking <strong>{{bookingRef}}</strong> for <strong>{{itemName}}</strong> in {{location}} was handed to another concierge.{{#if reason}} Reason: {{reason}}.{{/if}}</p>
{{> itinerary}}
<div style="${calloutStyle}">You have nothing more to do for it; it no longer counts towards your load.</div>`,
  text: `A BOOKING IS NO LONGER YOURS

Dear {{staffName}},

Booking {{bookingRef}} for {{itemName}} in {{location}} was handed to another concierge.{{#if reason}} Reason: {{reason}}.{{/if}}

{{> itineraryText}}

You have nothing more to do for it; it no longer counts towards your load.`,
};
