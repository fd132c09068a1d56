/** To the admins: the payment provider failed a refund too many times; it waits for staff to retry or resolve it. */
import { letter } from './letter';

export const staffRefundDeadLettered = letter({
  name: 'staff_refund_dead_lettered',
  subject: 'Refund stuck: {{refund}} for booking {{bookingRef}}',
  preheader: 'The payment provider refused the refund of {{refund}}; it waits for you.',
  heading: 'A refund needs you',
  to: 'staff',
  lead: 'The refund of <strong>{{refund}}</strong> for booking <strong>{{bookingRef}}</strong> ({{itemName}}, {{location}}) could not be paid back: {{detail}}. No more automatic attempts are made.{{#if reason}} It was owed for: {{reason}}.{{/if}} Guest: {{guestContact}}.',
  itinerary: true,
  callout:
    "Once the guest's payment method works again, retry it (POST /v1/payments/refunds/{{refundId}}/retry). If you gave the money back another way, or it is not owed after all, resolve it (POST /v1/payments/refunds/{{refundId}}/resolve, outcome refunded_elsewhere or written_off). Both take a reason, kept in the booking's history.",
});
