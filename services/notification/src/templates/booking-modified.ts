/** Sent when the dates or add-ons of a booking changed: the new itinerary beside what it replaces. */
import { calloutStyle, headingStyle, paragraphStyle } from './layout';
import type { TemplateSource } from './template-source';

export const bookingModified: TemplateSource = {
  name: 'booking_modified',
  subject: 'Updated: your booking of {{itemName}}',
  preheader: 'Now {{period.start}}. Your updated itinerary is inside.',
  html: `<h1 style="${headingStyle}">Your booking has been updated</h1>
<p style="${paragraphStyle}">Dear {{greetingName}},</p>
<p style="${paragraphStyle}">The changes to your booking of <strong>{{itemName}}</strong> are confirmed. Your updated itinerary:</p>
{{> itinerary}}
{{#if previous}}
<div style="${calloutStyle}">This replaces your earlier booking from {{previous.start}} to {{previous.end}} ({{previous.duration}}, {{previous.total}}).</div>
{{/if}}
<p style="${paragraphStyle}">Any difference in price is settled with your original payment method.</p>`,
  text: `YOUR BOOKING HAS BEEN UPDATED

Dear {{greetingName}},

The changes to your booking of {{itemName}} are confirmed. Your updated itinerary:

{{> itineraryText}}
{{#if previous}}

This replaces your earlier booking from {{previous.start}} to {{previous.end}} ({{previous.duration}}, {{previous.total}}).
{{/if}}

Any difference in price is settled with your original payment method.`,
};
