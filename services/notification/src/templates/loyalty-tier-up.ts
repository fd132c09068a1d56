/** To the customer: their loyalty tier went up, by what they spent or the bookings they completed. */
import { calloutStyle, headingStyle, paragraphStyle } from './layout';
import type { TemplateSource } from './template-source';

export const loyaltyTierUp: TemplateSource = {
  name: 'loyalty_tier_up',
  subject:
    '{{#with tierChange}}Welcome to {{to}}{{else}}Your loyalty tier went up{{/with}}, {{greetingName}}',
  preheader:
    '{{#with tierChange}}Your loyalty tier is now {{to}}{{else}}Your loyalty tier went up{{/with}}: your next bookings carry its perks.',
  html: `{{#with tierChange}}<h1 style="${headingStyle}">You are now {{to}}</h1>
<p style="${paragraphStyle}">Dear {{../greetingName}},</p>
<p style="${paragraphStyle}">Thank you for your loyalty: {{because}} (booking {{../bookingRef}}, {{../itemName}}), your tier has moved from {{from}} to <strong>{{to}}</strong>.</p>
<p style="${paragraphStyle}">From your next quote and booking, when you are signed in, your {{to}} perks apply on their own: a loyalty discount on your stays and more points for every payment. You choose the service level of each booking as before; your tier only ever lowers the price.</p>
<div style="${calloutStyle}">You hold {{points}} loyalty points. Redeem them on your next booking and they appear as a discount line on its price.</div>{{else}}<h1 style="${headingStyle}">Your loyalty tier went up</h1>
<p style="${paragraphStyle}">Dear {{greetingName}},</p>
<p style="${paragraphStyle}">Thank you for your loyalty: your tier went up with booking {{bookingRef}}. Its perks apply to your next quotes and bookings when you are signed in.</p>{{/with}}`,
  text: `{{#with tierChange}}YOU ARE NOW {{to}}

Dear {{../greetingName}},

Thank you for your loyalty: {{because}} (booking {{../bookingRef}}, {{../itemName}}), your tier has moved from {{from}} to {{to}}.

From your next quote and booking, when you are signed in, your {{to}} perks apply on their own: a loyalty discount on your stays and more points for every payment. You choose the service level of each booking as before; your tier only ever lowers the price.

You hold {{points}} loyalty points. Redeem them on your next booking and they appear as a discount line on its price.{{else}}YOUR LOYALTY TIER WENT UP

Dear {{greetingName}},

Thank you for your loyalty: your tier went up with booking {{bookingRef}}. Its perks apply to your next quotes and bookings when you are signed in.{{/with}}`,
};
