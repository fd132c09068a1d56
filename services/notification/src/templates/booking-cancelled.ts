/** Sent when a booking is cancelled, by the guest or by staff, with the refund it gives. */
import { calloutStyle, headingStyle, paragraphStyle } from './layout';
import type { TemplateSource } from './template-source';

export const bookingCancelled: TemplateSource = {
  name: 'booking_cancelled',
  subject: 'Cancelled: {{itemName}} on {{period.startDay}}',
  preheader:
    '{{#if refund}}{{#if noRefund}}No refund is due under the cancellation policy.{{else}}A refund of {{refund}} is on its way.{{/if}}{{else}}Your booking has been cancelled.{{/if}}',
  html: `<h1 style="${headingStyle}">Your booking has been cancelled</h1>
<p style="${paragraphStyle}">Dear {{greetingName}},</p>
<p style="${paragraphStyle}">Your booking of <strong>{{itemName}}</strong> from {{period.start}} to {{period.end}} has been cancelled.{{#if reason}} Reason given: {{reason}}.{{/if}}</p>
{{#if refund}}
{{#if noRefund}}
<div style="${calloutStyle}">Under the cancellation policy of this booking no refund is due.</div>
{{else}}
<div style="${calloutStyle}">Refund: <strong>{{refund}}</strong> of the {{total}} paid, returned to your original payment method. Depending on your bank it may take a few days to appear.</div>
{{/if}}
{{else}}
<div style="${calloutStyle}">Any refund due under the cancellation policy of this booking goes back to your original payment method.</div>
{{/if}}
<p style="${paragraphStyle}">We hope to welcome you again soon.</p>`,
  text: `YOUR BOOKING HAS BEEN CANCELLED

Dear {{greetingName}},

Your booking of {{itemName}} from {{period.start}} to {{period.end}} has been cancelled.{{#if reason}} Reason given: {{reason}}.{{/if}}

{{#if refund}}{{#if noRefund}}Under the cancellation policy of this booking no refund is due.{{else}}Refund: {{refund}} of the {{total}} paid, returned to your original payment method. Depending on your bank it may take a few days to appear.{{/if}}{{else}}Any refund due under the cancellation policy of this booking goes back to your original payment method.{{/if}}

We hope to welcome you again soon.`,
};
