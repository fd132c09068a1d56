/** To the admins: a confirmed booking starts soon and no concierge has room for it. */
import { calloutStyle, headingStyle, paragraphStyle } from './layout';
import type { TemplateSource } from './template-source';

export const staffUnassignedBooking: TemplateSource = {
  name: 'staff_unassigned_booking',
  subject: 'No concierge yet: {{itemName}}, {{location}}, {{period.startDay}}',
  preheader: 'Booking {{bookingRef}} starts {{period.start}} and nobody is assigned.',
  html: `<h1 style="${headingStyle}">A booking has no concierge</h1>
<p style="${paragraphStyle}">Dear {{staffName}},</p>
<p style="${paragraphStyle}">Booking <strong>{{bookingRef}}</strong> for <strong>{{itemName}}</strong> in {{location}} starts{{#if hoursBefore}} within {{hoursBefore}}{{/if}} and no concierge has room to take it. Guest: {{guestContact}}.</p>
{{> itinerary}}
<div style="${calloutStyle}">Raise a concierge's capacity or add one at {{location}} and the booking is assigned at once, or assign it by hand (POST /v1/bookings/{{bookingId}}/assign). A concierge checking the guest in is assigned too.</div>`,
  text: `A BOOKING HAS NO CONCIERGE

Dear {{staffName}},

Booking {{bookingRef}} for {{itemName}} in {{location}} starts{{#if hoursBefore}} within {{hoursBefore}}{{/if}} and no concierge has room to take it. Guest: {{guestContact}}.

{{> itineraryText}}

Raise a concierge's capacity or add one at {{location}} and the booking is assigned at once, or assign it by hand (POST /v1/bookings/{{bookingId}}/assign). A concierge checking the guest in is assigned too.`,
};
