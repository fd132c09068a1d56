/** Sent when a payment attempt for a booking failed, while the slot is still held. */
import { letter } from './letter';

export const paymentFailed = letter({
  name: 'payment_failed',
  subject: 'Action needed: payment for {{itemName}} did not go through',
  preheader: 'Your slot is held for a short time only. Please try again.',
  heading: 'Your payment did not go through',
  to: 'guest',
  lead: 'We could not take the payment of <strong>{{total}}</strong> for <strong>{{itemName}}</strong> from {{period.start}}.{{#if reason}} Your bank or card provider said: {{reason}}{{/if}}',
  callout:
    'Your slot is held for a short time only. Please try again with the same or another card before the hold lapses; if it does, the slot is released to other guests.',
});
