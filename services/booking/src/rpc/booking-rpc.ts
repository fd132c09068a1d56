/** Answers pricing's `booking.loyalty` RPC: the customer's tier and unspent points, for public quotes. */
import { bookingRpc } from '@midas/contracts';
import type { Broker } from '@midas/messaging';
import { findStanding } from '../db/customers';
import type { FlowContext } from '../flows/context';

export async function serveBookingRpc(broker: Broker, deps: Pick<FlowContext, 'db'>): Promise<void> {
  await broker.serve(bookingRpc.loyalty, async ({ customerId }) => {
    const standing = await findStanding(deps.db, customerId);
    return { tier: standing?.tier ?? 'standard', points: standing?.points ?? 0 };
  });
}
