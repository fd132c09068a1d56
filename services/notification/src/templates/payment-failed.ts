/** Sent when a payment attempt for a booking failed, while the slot is still held. */
import { calloutStyle, headingStyle, paragraphStyle } from './layout';
import type { TemplateSource } from './template-source';

export const paymentFailed: TemplateSource = {
  name: 'payment_failed',
  subject: 'Action needed: payment for {{itemName}} did not go through',
  preheader: 'Your slot is held for a short time only. Please try again.',
  html: `<h1 style="${headingStyle}">Your payment did not go through</h1>
<p style="${paragraphStyle}">Dear {{greetingName}},</p>
<p style="${paragraphStyle}">We could not take the payment of <strong>{{total}}</strong> for <strong>{{itemName}}</strong> from {{period.start}}.{{#if reason}} Your bank or card provider said: {{reason}}{{/if}}</p>
<div style="${calloutStyle}">Your slot is held for a short time only. Please try again with the same or another card before the hold lapses; if it does, the slot is released to other guests.</div>`,
  text: `YOUR PAYMENT DID NOT GO THROUGH

Dear {{greetingName}},

We could not take the payment of {{total}} for {{itemName}} from {{period.start}}.{{#if reason}} Your bank or card provider said: {{reason}}{{/if}}

Your slot is held for a short time only. Please try again with the same or another card before the hold lapses; if it does, the slot is released to other guests.`,
};
