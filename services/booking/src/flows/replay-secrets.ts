/**
 * What a replayed booking response gets back that was never stored: payment client secrets are
 * read again from the payment rows, and a guest's access token (kept only as a hash) is derived
 * again from the booking id, or, without a server secret, re-issued in place of the earlier one.
 */
import { removedSecrets, withoutSecrets, type ReplaySecrets, type StoredResponse } from '@midas/http';
import { findBooking, replaceAccessToken } from '../db/bookings';
import { paymentsOf } from '../db/payments';
import type { PaymentRow } from '../db/schema';
import { newAccessToken } from './access-token';
import type { FlowContext } from './context';

const SECRETS = ['accessToken', 'payment.clientSecret', 'deposit.clientSecret'] as const;

type Body = Record<string, unknown> & {
  id: string;
  payment?: Record<string, unknown>;
  deposit?: Record<string, unknown>;
};

function chargeOf(rows: readonly PaymentRow[]): PaymentRow | undefined {
  return (
    rows.find((p) => p.kind === 'charge' && p.status === 'pending') ?? rows.find((p) => p.kind === 'charge')
  );
}

async function restore(deps: FlowContext, stored: StoredResponse): Promise<StoredResponse> {
  const { body: kept, removed } = removedSecrets(stored.body);
  if (removed.length === 0) return { status: stored.status, body: kept };
  const body = structuredClone(kept) as Body;
  const rows = await paymentsOf(deps.db, body.id);
  const charge = chargeOf(rows);
  if (removed.includes('payment.clientSecret') && body.payment && charge?.clientSecret) {
    body.payment.clientSecret = charge.clientSecret;
  }
  const deposit = rows.find((p) => p.kind === 'deposit');
  if (removed.includes('deposit.clientSecret') && body.deposit && deposit?.clientSecret) {
    body.deposit.clientSecret = deposit.clientSecret;
  }
  if (removed.includes('accessToken')) body.accessToken = await accessTokenAgain(deps, body.id);
  return { status: stored.status, body };
}

async function accessTokenAgain(deps: FlowContext, bookingId: string): Promise<string | undefined> {
  const booking = await findBooking(deps.db, bookingId);
  if (!booking?.accessTokenHash) return undefined;
  const derived = newAccessToken(deps.tokenSecret, bookingId);
  if (derived.hash === booking.accessTokenHash) return derived.token;
  // Random tokens (no server secret, or a secret since changed) cannot be derived: issue a new one.
  const fresh = newAccessToken();
  await replaceAccessToken(deps.db, bookingId, fresh.hash);
  return fresh.token;
}

export function bookingReplaySecrets(deps: FlowContext): ReplaySecrets {
  return {
    strip: (response) =>
      response.status < 400 ? { ...response, body: withoutSecrets(response.body, SECRETS) } : response,
    restore: (stored) => restore(deps, stored),
  };
}
