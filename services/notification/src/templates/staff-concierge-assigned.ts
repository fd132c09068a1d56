/** To a concierge: a booking is now theirs (assigned automatically, by an admin, or handed over). */
import { letter } from './letter';

export const staffConciergeAssigned = letter({
  name: 'staff_concierge_assigned',
  subject: 'New booking for you: {{itemName}}, {{location}}, {{period.startDay}}',
  preheader: 'Booking {{bookingRef}} is yours from {{period.start}}.',
  heading: 'A booking is yours',
  to: 'staff',
  lead: 'Booking <strong>{{bookingRef}}</strong> for <strong>{{itemName}}</strong> in {{location}} is now assigned to you.{{#if reason}} Reason: {{reason}}.{{/if}} Guest: {{guestContact}}.',
  itinerary: true,
  callout:
    'Please get in touch with the guest before the start and mark the booking ready once everything is prepared.',
});
