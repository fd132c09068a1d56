/** Sent when a booking expired because its hold lapsed before payment arrived. */
import { letter } from './letter';

export const holdExpired = letter({
  name: 'hold_expired',
  subject: 'Your hold on {{itemName}} has lapsed',
  preheader: 'No payment arrived in time, so the slot has been released.',
  heading: 'Your hold has lapsed',
  to: 'guest',
  lead: 'We held <strong>{{itemName}}</strong> in {{location}} from {{period.start}} to {{period.end}} for you, but no payment arrived in time, so the slot has been released and nothing has been charged.',
  callout:
    'Still interested? The slot may be available again: start a new booking, or reply to this email and your concierge will arrange it for you.',
});
