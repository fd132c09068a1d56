/** Sent when a booking expired because its hold lapsed before payment arrived. */
import { calloutStyle, headingStyle, paragraphStyle } from './layout';
import type { TemplateSource } from './template-source';

export const holdExpired: TemplateSource = {
  name: 'hold_expired',
  subject: 'Your hold on {{itemName}} has lapsed',
  preheader: 'No payment arrived in time, so the slot has been released.',
  html: `<h1 style="${headingStyle}">Your hold has lapsed</h1>
<p style="${paragraphStyle}">Dear {{greetingName}},</p>
<p style="${paragraphStyle}">We held <strong>{{itemName}}</strong> in {{location}} from {{period.start}} to {{period.end}} for you, but no payment arrived in time, so the slot has been released and nothing has been charged.</p>
<div style="${calloutStyle}">Still interested? The slot may be available again: start a new booking, or reply to this email and your concierge will arrange it for you.</div>`,
  text: `YOUR HOLD HAS LAPSED

Dear {{greetingName}},

We held {{itemName}} in {{location}} from {{period.start}} to {{period.end}} for you, but no payment arrived in time, so the slot has been released and nothing has been charged.

Still interested? The slot may be available again: start a new booking, or reply to this email and your concierge will arrange it for you.`,
};
