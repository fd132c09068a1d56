/** To a concierge: a booking is now theirs (assigned automatically, by an admin, or handed over). */
import { calloutStyle, headingStyle, paragraphStyle } from './layout';
import type { TemplateSource } from './template-source';

export const staffConciergeAssigned: TemplateSource = {
  name: 'staff_concierge_assigned',
  subject: 'New booking for you: {{itemName}}, {{location}}, {{period.startDay}}',
  preheader: 'Booking {{bookingRef}} is yours from {{period.start}}.',
  html: `<h1 style="${headingStyle}">A booking is yours</h1>
<p style="${paragraphStyle}">Dear {{staffName}},</p>
<p style="${paragraphStyle}">Booking <strong>{{bookingRef}}</strong> for <strong>{{itemName}}</strong> in {{location}} is now assigned to you.{{#if reason}} Reason: {{reason}}.{{/if}} Guest: {{guestContact}}.</p>
{{> itinerary}}
<div style="${calloutStyle}">Please get in touch with the guest before the start and mark the booking ready once everything is prepared.</div>`,
  text: `A BOOKING IS YOURS

Dear {{staffName}},

Booking {{bookingRef}} for {{itemName}} in {{location}} is now assigned to you.{{#if reason}} Reason: {{reason}}.{{/if}} Guest: {{guestContact}}.

{{> itineraryText}}

Please get in touch with the guest before the start and mark the booking ready once everything is prepared.`,
};
