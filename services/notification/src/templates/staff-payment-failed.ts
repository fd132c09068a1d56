/** To the admins: a payment for a booking failed (the guest is told separately). */
import { calloutStyle, headingStyle, paragraphStyle } from './layout';
import type { TemplateSource } from './template-source';

export const staffPaymentFailed: TemplateSource = {
  name: 'staff_payment_failed',
  subject: 'Payment failed: {{itemName}}, {{location}}, {{total}}',
  preheader: 'A payment of {{total}} for booking {{bookingRef}} did not go through.',
  html: `<h1 style="${headingStyle}">A payment failed</h1>
<p style="${paragraphStyle}">Dear {{staffName}},</p>
<p style="${paragraphStyle}">The payment of <strong>{{total}}</strong> for booking <strong>{{bookingRef}}</strong> ({{itemName}}, {{location}}) did not go through{{#if detail}} at {{detail}}{{/if}}.{{#if reason}} The provider said: {{reason}}.{{/if}} Guest: {{guestContact}}.</p>
{{> itinerary}}
<div style="${calloutStyle}">The guest has been asked to try again; the slot stays held until its hold lapses.</div>`,
  text: `A PAYMENT FAILED

Dear {{staffName}},

The payment of {{total}} for booking {{bookingRef}} ({{itemName}}, {{location}}) did not go through{{#if detail}} at {{detail}}{{/if}}.{{#if reason}} The provider said: {{reason}}.{{/if}} Guest: {{guestContact}}.

{{> itineraryText}}

The guest has been asked to try again; the slot stays held until its hold lapses.`,
};
