/**
 * Step 1, hold the slot: availability holds it (or adopts the caller's hold) and its reply carries
 * the item's snapshot, so the item is not asked for again. Undone by releasing a hold this booking took; a hold the caller
 * brought stays theirs (the booking's claim on it lapses).
 */
import { availabilityRpc, type ItemSnapshot } from '@midas/contracts';
import type { SagaStep } from '../../domain/saga';
import type { FlowContext } from '../context';
import type { CreateBookingState, HeldSlot } from './state';

interface Held {
  hold: HeldSlot;
  item: ItemSnapshot;
}

export const holdSlot: SagaStep<CreateBookingState, Held> = {
  name: 'hold the slot',
  run: async ({ deps, caller, body, bookingId }) => {
    const held = await deps.rpc.call(
      availabilityRpc.hold,
      {
        itemId: body.itemId,
        start: body.start,
        end: body.end,
        holdId: body.holdId,
        ref: bookingId,
        holderSub: caller.principal.sub,
        holdToken: caller.principal.sub ? undefined : body.holdToken,
        clientIp: caller.principal.sub ? undefined : caller.clientIp,
      },
      { timeoutMs: deps.rpcTimeoutMs },
    );
    const hold = { holdId: held.holdId, expiresAt: held.expiresAt, adopted: body.holdId !== undefined };
    if (held.item) {
      deps.items.remember(held.item);
      return { hold, item: held.item };
    }
    // An availability that does not send the item yet: ask for it.
    try {
      return { hold, item: await deps.items.get(body.itemId) };
    } catch (err) {
      await releaseHold(deps, hold.holdId, bookingId, hold.adopted);
      throw err;
    }
  },
  compensate: ({ hold }, { deps, bookingId }) => releaseHold(deps, hold.holdId, bookingId, hold.adopted),
  merge: (state, { hold, item }) => ({ ...state, hold, item }),
};

/**
 * Gives the slot back after a failed creation. A hold the caller brought stays theirs: only the
 * booking's claim on it is dropped by letting it lapse, so it is not released here.
 */
export async function releaseHold(
  deps: FlowContext,
  holdId: string,
  bookingId: string,
  adopted: boolean,
): Promise<void> {
  if (adopted) return;
  try {
    await deps.rpc.call(availabilityRpc.release, { holdId, bookingId }, { timeoutMs: deps.rpcTimeoutMs });
  } catch (err) {
    deps.logger.warn(
      { err, holdId, bookingId },
      'could not release the hold of a failed booking; it will lapse',
    );
  }
}
