/** To the admins: a booking's security deposit could not be authorised before the rental. */
import { letter } from './letter';

export const staffDepositDeclined = letter({
  name: 'staff_deposit_declined',
  subject: 'Deposit declined: {{deposit}} for booking {{bookingRef}}',
  preheader: 'The security deposit of {{deposit}} was refused; the guest was told.',
  heading: 'A security deposit was declined',
  to: 'staff',
  lead: 'The security deposit of <strong>{{deposit}}</strong> for booking <strong>{{bookingRef}}</strong> ({{itemName}}, {{location}}, from {{period.start}}) could not be authorised: {{detail}}.{{#if reason}} The provider said: {{reason}}.{{/if}} The guest was emailed. Guest: {{guestContact}}.',
  itinerary: true,
  callout:
    'Once the guest updated their card, ask for the deposit again (POST /v1/bookings/{{bookingId}}/deposit/authorize). Until a deposit is held, do not hand the rental over.',
});
