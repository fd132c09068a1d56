/** To a concierge: a booking they had was handed to someone else, so it is no longer theirs. */
import { letter } from './letter';

export const staffConciergeReleased = letter({
  name: 'staff_concierge_released',
  subject: 'No longer yours: {{itemName}}, {{location}}, {{period.startDay}}',
  preheader: 'Booking {{bookingRef}} was handed to another concierge.',
  heading: 'A booking is no longer yours',
  to: 'staff',
  lead: 'Booking <strong>{{bookingRef}}</strong> for <strong>{{itemName}}</strong> in {{location}} was handed to another concierge.{{#if reason}} Reason: {{reason}}.{{/if}}',
  itinerary: true,
  callout: 'You have nothing more to do for it; it no longer counts towards your load.',
});
