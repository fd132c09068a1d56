/** To the admins: a payment for a booking failed (the guest is told separately). */
import { letter } from './letter';

export const staffPaymentFailed = letter({
  name: 'staff_payment_failed',
  subject: 'Payment failed: {{itemName}}, {{location}}, {{total}}',
  preheader: 'A payment of {{total}} for booking {{bookingRef}} did not go through.',
  heading: 'A payment failed',
  to: 'staff',
  lead: 'The payment of <strong>{{total}}</strong> for booking <strong>{{bookingRef}}</strong> ({{itemName}}, {{location}}) did not go through{{#if detail}} at {{detail}}{{/if}}.{{#if reason}} The provider said: {{reason}}.{{/if}} Guest: {{guestContact}}.',
  itinerary: true,
  callout: 'The guest has been asked to try again; the slot stays held until its hold lapses.',
});
