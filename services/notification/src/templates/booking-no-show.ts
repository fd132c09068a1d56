/** Sent when nobody checked in within the grace period after the start (NO_SHOW_GRACE_MINUTES). */
import { letter } from './letter';

export const bookingNoShow = letter({
  name: 'booking_no_show',
  subject: 'We missed you: {{itemName}} on {{period.startDay}}',
  preheader: 'Your booking has been recorded as a no-show.',
  heading: 'We missed you',
  to: 'guest',
  lead: '<strong>{{itemName}}</strong> was ready for you in {{location}} at {{period.start}}, but no check-in was recorded, so your booking has been marked as a no-show and the rest of its period released.',
  callout:
    'If something came up, reply to this email: your concierge will review your booking, and any partial refund under its policy will be confirmed to you separately.',
});
