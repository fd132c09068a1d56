/**
 * Step 2 of a change, price it: the new terms quoted by pricing (with the customer's loyalty perk
 * and the points the booking redeemed), and what that means against the money actually received.
 * Reads only; nothing to undo.
 */
import { pricingRpc, type Quote } from '@midas/contracts';
import { findStanding } from '../../db/customers';
import { ledgerOf, paymentsOf } from '../../db/payments';
import { activeRedemptionOf } from '../../db/points';
import { settlementForNewTotal, type Settlement } from '../../domain';
import type { SagaStep } from '../../domain/saga';
import { claimedChange, type ChangeState } from './state';

interface Priced {
  quote: Quote;
  settlement: Settlement;
}

export const priceChange: SagaStep<ChangeState, Priced> = {
  name: 'price the change',
  run: async (state) => {
    const { deps, booking, terms } = claimedChange(state);
    const standing = booking.customerId ? await findStanding(deps.db, booking.customerId) : undefined;
    // Points it redeemed stay redeemed on the new terms (as far as the new price's cap allows).
    const redeemed = await activeRedemptionOf(deps.db, booking.id);
    const quote = await deps.rpc.call(
      pricingRpc.quote,
      {
        itemId: booking.itemId,
        start: terms.start.toISOString(),
        end: terms.end.toISOString(),
        tier: booking.tier,
        customerTier: standing?.tier,
        addOns: terms.addOns,
        ...(redeemed ? { redeemPoints: redeemed.points, pointsBalance: redeemed.points } : {}),
      },
      { timeoutMs: deps.rpcTimeoutMs },
    );
    const settlement = settlementForNewTotal(quote.total, ledgerOf(await paymentsOf(deps.db, booking.id)));
    return { quote, settlement };
  },
  merge: (state, priced) => ({ ...state, ...priced }),
};
