/** To the admins: a booking's security deposit could not be authorised before the rental. */
import { calloutStyle, headingStyle, paragraphStyle } from './layout';
import type { TemplateSource } from './template-source';

export const staffDepositDeclined: TemplateSource = {
  name: 'staff_deposit_declined',
  subject: 'Deposit declined: {{deposit}} for booking {{bookingRef}}',
  preheader: 'The security deposit of {{deposit}} was refused; the guest was told.',
  html: `<h1 style="${headingStyle}">A security deposit was declined</h1>
<p style="${paragraphStyle}">Dear {{staffName}},</p>
<p style="${paragraphStyle}">The security deposit of <strong>{{deposit}}</strong> for booking <strong>{{bookingRef}}</strong> ({{itemName}}, {{location}}, from {{period.start}}) could not be authorised: {{detail}}.{{#if reason}} The provider said: {{reason}}.{{/if}} The guest was emailed. Guest: {{guestContact}}.</p>
{{> itinerary}}
<div style="${calloutStyle}">Once the guest updated their card, ask for the deposit again (POST /v1/bookings/{{bookingId}}/deposit/authorize). Until a deposit is held, do not hand the rental over.</div>`,
  text: `A SECURITY DEPOSIT WAS DECLINED

Dear {{staffName}},

The security deposit of {{deposit}} for booking {{bookingRef}} ({{itemName}}, {{location}}, from {{period.start}}) could not be authorised: {{detail}}.{{#if reason}} The provider said: {{reason}}.{{/if}} The guest was emailed. Guest: {{guestContact}}.

{{> itineraryText}}

Once the guest updated their card, ask for the deposit again (POST /v1/bookings/{{bookingId}}/deposit/authorize). Until a deposit is held, do not hand the rental over.`,
};
