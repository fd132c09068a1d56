/** Sent when a payment arrived after its hold lapsed and the slot had been taken: a full refund. */
import { calloutStyle, headingStyle, paragraphStyle } from './layout';
import type { TemplateSource } from './template-source';

export const latePaymentRefund: TemplateSource = {
  name: 'late_payment_refund',
  subject: 'Refunded in full: {{itemName}} was no longer available',
  preheader: 'Your payment arrived after your hold lapsed; {{refund}} is on its way back.',
  html: `<h1 style="${headingStyle}">Your payment has been refunded</h1>
<p style="${paragraphStyle}">Dear {{greetingName}},</p>
<p style="${paragraphStyle}">Your payment for <strong>{{itemName}}</strong> from {{period.start}} arrived after your hold had lapsed, and in the meantime the slot was booked by another guest. We are sorry we could not keep it for you.</p>
<div style="${calloutStyle}">Refund: <strong>{{refund}}</strong>, in full, returned to your original payment method. Depending on your bank it may take a few days to appear.</div>
<p style="${paragraphStyle}">Reply to this email and your concierge will gladly suggest another time or a comparable alternative.</p>`,
  text: `YOUR PAYMENT HAS BEEN REFUNDED

Dear {{greetingName}},

Your payment for {{itemName}} from {{period.start}} arrived after your hold had lapsed, and in the meantime the slot was booked by another guest. We are sorry we could not keep it for you.

Refund: {{refund}}, in full, returned to your original payment method. Depending on your bank it may take a few days to appear.

Reply to this email and your concierge will gladly suggest another time or a comparable alternative.`,
};
