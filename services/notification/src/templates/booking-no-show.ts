/** Sent when nobody checked in within the grace period after the start (NO_SHOW_GRACE_MINUTES). */
import { calloutStyle, headingStyle, paragraphStyle } from './layout';
import type { TemplateSource } from './template-source';

export const bookingNoShow: TemplateSource = {
  name: 'booking_no_show',
  subject: 'We missed you: {{itemName}} on {{period.startDay}}',
  preheader: 'Your booking has been recorded as a no-show.',
  html: `<h1 style="${headingStyle}">We missed you</h1>
<p style="${paragraphStyle}">Dear {{greetingName}},</p>
<p style="${paragraphStyle}"><strong>{{itemName}}</strong> was ready for you in {{location}} at {{period.start}}, but no check-in was recorded, so your booking has been marked as a no-show and the rest of its period released.</p>
<div style="${calloutStyle}">If something came up, reply to this email: your concierge will review your booking, and any partial refund under its policy will be confirmed to you separately.</div>`,
  text: `WE MISSED YOU

Dear {{greetingName}},

{{itemName}} was ready for you in {{location}} at {{period.start}}, but no check-in was recorded, so your booking has been marked as a no-show and the rest of its period released.

If something came up, reply to this email: your concierge will review your booking, and any partial refund under its policy will be confirmed to you separately.`,
};
