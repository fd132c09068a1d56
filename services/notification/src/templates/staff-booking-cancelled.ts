/** To the assigned concierge: their booking was cancelled, so nothing is to be prepared. */
import { letter } from './letter';

export const staffBookingCancelled = letter({
  name: 'staff_booking_cancelled',
  subject: 'Booking cancelled: {{itemName}}, {{location}}, {{period.startDay}}',
  preheader: 'Booking {{bookingRef}} was cancelled.',
  heading: 'Your booking was cancelled',
  to: 'staff',
  lead: 'Booking <strong>{{bookingRef}}</strong> for <strong>{{itemName}}</strong> in {{location}} was cancelled.{{#if reason}} Reason: {{reason}}.{{/if}}',
  itinerary: true,
  callout: 'Nothing is to be prepared for it any more; it no longer counts towards your load.',
});
