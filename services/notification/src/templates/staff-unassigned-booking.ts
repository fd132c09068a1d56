/** To the admins: a confirmed booking starts soon and no concierge has room for it. */
import { letter } from './letter';

export const staffUnassignedBooking = letter({
  name: 'staff_unassigned_booking',
  subject: 'No concierge yet: {{itemName}}, {{location}}, {{period.startDay}}',
  preheader: 'Booking {{bookingRef}} starts {{period.start}} and nobody is assigned.',
  heading: 'A booking has no concierge',
  to: 'staff',
  lead: 'Booking <strong>{{bookingRef}}</strong> for <strong>{{itemName}}</strong> in {{location}} starts{{#if hoursBefore}} within {{hoursBefore}}{{/if}} and no concierge has room to take it. Guest: {{guestContact}}.',
  itinerary: true,
  callout:
    "Raise a concierge's capacity or add one at {{location}} and the booking is assigned at once, or assign it by hand (POST /v1/bookings/{{bookingId}}/assign). A concierge checking the guest in is assigned too.",
});
