/**
 * POST /v1/quotes: prices a stay for whoever asks. A signed-in customer is priced with their
 * loyalty standing as booking holds it (the perk line of their tier, and the points they ask to
 * redeem), exactly as their booking will be; a guest, or staff, gets the plain price. Redeeming
 * points needs a customer's sign-in: guests are told to sign in (401), staff are refused (403).
 */
import { Forbidden, Unauthenticated, type Quote, type QuoteRequest } from '@midas/contracts';
import type { Principal } from '@midas/http';
import type { FlowContext } from './context';
import { quoteStay } from './quote-stay';

export async function quoteForCaller(
  deps: FlowContext,
  principal: Principal,
  body: QuoteRequest,
): Promise<Quote> {
  const customerId = principal.role === 'customer' ? principal.sub : undefined;
  if (body.redeemPoints !== undefined && !customerId) {
    if (principal.role === 'guest' || !principal.sub) {
      throw new Unauthenticated('Sign in as a customer to redeem loyalty points');
    }
    throw new Forbidden('Only customers have loyalty points to redeem');
  }
  const standing = customerId
    ? await standingOf(deps, customerId, body.redeemPoints !== undefined)
    : undefined;
  return quoteStay(
    deps,
    {
      ...body,
      start: new Date(body.start),
      end: new Date(body.end),
      customerTier: standing?.tier,
      pointsBalance: standing?.points,
    },
    { requireFutureStart: true },
  );
}

/**
 * The customer's standing from booking. When booking cannot answer, a quote that redeems no
 * points is given without the perk (never lower than their booking will be) rather than refused;
 * one that redeems points fails, since the balance is unknown.
 */
async function standingOf(deps: FlowContext, customerId: string, needsPoints: boolean) {
  if (!deps.loyaltyOf) return undefined;
  try {
    return await deps.loyaltyOf(customerId);
  } catch (err) {
    if (needsPoints) throw err;
    deps.logger?.warn({ err, customerId }, 'loyalty standing unavailable; quoting without the perk');
    return undefined;
  }
}
