/** Sent at each reminder offset before the start (REMINDER_OFFSETS, e.g. 24h, 4h, 1h). */
import { calloutStyle, headingStyle, paragraphStyle } from './layout';
import type { TemplateSource } from './template-source';

export const bookingReminder: TemplateSource = {
  name: 'booking_reminder',
  subject: 'In {{offset}}: {{itemName}}, {{location}}',
  preheader: '{{labels.start}} {{period.start}}. Everything is ready for you.',
  html: `<h1 style="${headingStyle}">See you in {{offset}}</h1>
<p style="${paragraphStyle}">Dear {{greetingName}},</p>
<p style="${paragraphStyle}">A reminder that <strong>{{itemName}}</strong> awaits you in {{location}} in {{offset}}.</p>
{{> itinerary}}
<div style="${calloutStyle}">Running late or need something arranged before you arrive? Reply to this email and your concierge will take care of it.</div>`,
  text: `SEE YOU SOON

Dear {{greetingName}},

A reminder that {{itemName}} awaits you in {{location}} in {{offset}}.

{{> itineraryText}}

Running late or need something arranged before you arrive? Reply to this email and your concierge will take care of it.`,
};
