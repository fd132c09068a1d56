/** Sent when the security deposit could not be authorised on the guest's card before the rental. */
import { letter } from './letter';

export const depositDeclined = letter({
  name: 'deposit_declined',
  subject: 'Action needed: the security deposit for {{itemName}} was declined',
  preheader: 'Your card did not accept the security deposit of {{deposit}}.',
  heading: 'Your security deposit was declined',
  to: 'guest',
  lead: 'Before your rental of <strong>{{itemName}}</strong> from {{period.start}}, we asked your card to hold the security deposit of <strong>{{deposit}}</strong>, and it was refused.{{#if reason}} Your bank or card provider said: {{reason}}{{/if}}',
  callout:
    'Nothing was charged and your booking stands. Please update your card, or complete the authorisation from your booking page if your bank asks you to confirm it, and tell your concierge: we will ask for the deposit again. Without it, the rental cannot be handed over.',
});
