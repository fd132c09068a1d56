/** To the booking's concierge (the admins when it has none): an outside calendar event lies over a booking. */
import { letter } from './letter';

export const staffCalendarConflict = letter({
  name: 'staff_calendar_conflict',
  subject: 'Calendar conflict: {{itemName}}, {{location}}, {{period.startDay}}',
  preheader: "An event in the item's calendar overlaps booking {{bookingRef}}.",
  heading: 'An outside event overlaps a booking',
  to: 'staff',
  lead: {
    html: '{{#with conflict}}Someone put <strong>{{title}}</strong> in the calendar of <strong>{{../itemName}}</strong> ({{calendarId}}), from {{start}} to {{end}}.{{else}}Someone put an event in the calendar of <strong>{{itemName}}</strong>.{{/with}} It lies over booking <strong>{{bookingRef}}</strong>, so Midas could not block that time and the booking stands. Guest: {{guestContact}}.',
    text: '{{#with conflict}}Someone put "{{title}}" in the calendar of {{../itemName}} ({{calendarId}}), from {{start}} to {{end}}.{{else}}Someone put an event in the calendar of {{itemName}}.{{/with}} It lies over booking {{bookingRef}}, so Midas could not block that time and the booking stands. Guest: {{guestContact}}.',
  },
  itinerary: true,
  callout:
    "Resolve it with whoever owns that event: move or remove the event in the calendar, or change the booking (PATCH /v1/bookings/{{bookingId}}). The conflict is kept in the booking's history.",
});
