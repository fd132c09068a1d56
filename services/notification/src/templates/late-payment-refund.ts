/** Sent when a payment arrived after its hold lapsed and the slot had been taken: a full refund. */
import { letter } from './letter';

export const latePaymentRefund = letter({
  name: 'late_payment_refund',
  subject: 'Refunded in full: {{itemName}} was no longer available',
  preheader: 'Your payment arrived after your hold lapsed; {{refund}} is on its way back.',
  heading: 'Your payment has been refunded',
  to: 'guest',
  lead: 'Your payment for <strong>{{itemName}}</strong> from {{period.start}} arrived after your hold had lapsed, and in the meantime the slot was booked by another guest. We are sorry we could not keep it for you.',
  callout:
    'Refund: <strong>{{refund}}</strong>, in full, returned to your original payment method. Depending on your bank it may take a few days to appear.',
  closing:
    'Reply to this email and your concierge will gladly suggest another time or a comparable alternative.',
});
