/** To the assigned concierge: their booking's dates or add-ons changed. */
import { letter } from './letter';

export const staffBookingModified = letter({
  name: 'staff_booking_modified',
  subject: 'Booking changed: {{itemName}}, {{location}}, now {{period.startDay}}',
  preheader: 'Booking {{bookingRef}} now runs from {{period.start}}.',
  heading: 'Your booking has changed',
  to: 'staff',
  lead: 'Booking <strong>{{bookingRef}}</strong> for <strong>{{itemName}}</strong> in {{location}} was changed. Guest: {{guestContact}}. The new itinerary:',
  itinerary: true,
  callout: 'It replaces {{previous.start}} to {{previous.end}} ({{previous.duration}}, {{previous.total}}).',
  calloutIf: 'previous',
});
