/** Sent at each reminder offset before the start (REMINDER_OFFSETS, e.g. 24h, 4h, 1h). */
import { letter } from './letter';

export const bookingReminder = letter({
  name: 'booking_reminder',
  subject: 'In {{offset}}: {{itemName}}, {{location}}',
  preheader: '{{labels.start}} {{period.start}}. Everything is ready for you.',
  heading: 'See you in {{offset}}',
  textHeading: 'SEE YOU SOON',
  to: 'guest',
  lead: 'A reminder that <strong>{{itemName}}</strong> awaits you in {{location}} in {{offset}}.',
  itinerary: true,
  callout:
    'Running late or need something arranged before you arrive? Reply to this email and your concierge will take care of it.',
});
