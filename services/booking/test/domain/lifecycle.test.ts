import fc from 'fast-check';
import { BOOKING_STATUSES, type BookingStatus } from '@midas/contracts';
import {
  FINAL_STATUSES,
  TRANSITIONS,
  freesSlot,
  isCancellable,
  isFinal,
  judgeTransition,
  partyOf,
  type Party,
} from '../../src/domain';

const status = fc.constantFrom(...BOOKING_STATUSES);
const party = fc.constantFrom<Party>('system', 'owner', 'concierge', 'admin');
const user = fc.constantFrom<Party>('owner', 'concierge', 'admin');

/** The lifecycle as docs/design.md writes it, spelled out independently of the table under test. */
const CONTRACT: [BookingStatus, BookingStatus][] = [
  ['pending_payment', 'confirmed'],
  ['pending_payment', 'expired'],
  ['pending_payment', 'cancelled'],
  ['confirmed', 'concierge_assigned'],
  ['confirmed', 'cancelled'],
  ['concierge_assigned', 'ready'],
  ['concierge_assigned', 'in_progress'],
  ['concierge_assigned', 'no_show'],
  ['concierge_assigned', 'cancelled'],
  ['ready', 'in_progress'],
  ['ready', 'no_show'],
  ['ready', 'cancelled'],
  ['in_progress', 'completed'],
  ['cancelled', 'refunded'],
  ['no_show', 'refunded'],
];
const inContract = (from: BookingStatus, to: BookingStatus) =>
  CONTRACT.some(([f, t]) => f === from && t === to);

describe('booking lifecycle', () => {
  it('has exactly the transitions docs/design.md lists', () => {
    fc.assert(
      fc.property(status, status, (from, to) => {
        expect(TRANSITIONS[from][to] !== undefined).toBe(inContract(from, to));
      }),
    );
  });

  it('refuses as illegal, for every party, any transition outside the contract', () => {
    fc.assert(
      fc.property(status, status, party, (from, to, who) => {
        fc.pre(!inContract(from, to));
        expect(judgeTransition(from, to, who)).toEqual({ ok: false, reason: 'illegal' });
      }),
    );
  });

  it('has no way out of completed, refunded and expired', () => {
    for (const final of FINAL_STATUSES) expect(isFinal(final)).toBe(true);
    fc.assert(
      fc.property(fc.constantFrom(...FINAL_STATUSES), status, party, (from, to, who) => {
        expect(judgeTransition(from, to, who).ok).toBe(false);
      }),
    );
  });

  it('lets no user trigger the automatic-only transitions (payment, expiry, assignment, no-show, refund settlement)', () => {
    const automaticOnly: [BookingStatus, BookingStatus][] = [
      ['pending_payment', 'confirmed'],
      ['pending_payment', 'expired'],
      ['confirmed', 'concierge_assigned'],
      ['concierge_assigned', 'no_show'],
      ['ready', 'no_show'],
      ['cancelled', 'refunded'],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...automaticOnly), user, ([from, to], who) => {
        expect(judgeTransition(from, to, who)).toEqual({ ok: false, reason: 'automatic_only' });
        expect(judgeTransition(from, to, 'system')).toEqual({ ok: true });
      }),
    );
  });

  it('lets only staff check in, mark ready and check out, and only admins refund a no-show', () => {
    expect(judgeTransition('concierge_assigned', 'in_progress', 'owner')).toEqual({
      ok: false,
      reason: 'not_allowed',
    });
    expect(judgeTransition('concierge_assigned', 'in_progress', 'concierge')).toEqual({ ok: true });
    expect(judgeTransition('concierge_assigned', 'ready', 'owner')).toEqual({
      ok: false,
      reason: 'not_allowed',
    });
    expect(judgeTransition('ready', 'in_progress', 'admin')).toEqual({ ok: true });
    expect(judgeTransition('in_progress', 'completed', 'concierge')).toEqual({ ok: true });
    expect(judgeTransition('in_progress', 'completed', 'owner')).toEqual({
      ok: false,
      reason: 'not_allowed',
    });
    expect(judgeTransition('in_progress', 'completed', 'system')).toEqual({ ok: true });
    expect(judgeTransition('no_show', 'refunded', 'concierge')).toEqual({ ok: false, reason: 'not_allowed' });
    expect(judgeTransition('no_show', 'refunded', 'admin')).toEqual({ ok: true });
    expect(judgeTransition('no_show', 'refunded', 'system')).toEqual({ ok: false, reason: 'not_allowed' });
  });

  it('lets the owner and staff cancel from every status before check-in, and nobody after', () => {
    const beforeCheckIn: BookingStatus[] = ['pending_payment', 'confirmed', 'concierge_assigned', 'ready'];
    fc.assert(
      fc.property(status, user, (from, who) => {
        expect(isCancellable(from)).toBe(beforeCheckIn.includes(from));
        expect(judgeTransition(from, 'cancelled', who).ok).toBe(beforeCheckIn.includes(from));
      }),
    );
  });

  it('reaches every status from pending_payment and a final status from every status', () => {
    const reachable = (start: BookingStatus) => {
      const seen = new Set<BookingStatus>([start]);
      const queue = [start];
      while (queue.length) {
        const s = queue.shift()!;
        for (const next of Object.keys(TRANSITIONS[s]) as BookingStatus[]) {
          if (seen.has(next)) continue;
          seen.add(next);
          queue.push(next);
        }
      }
      return seen;
    };
    expect([...reachable('pending_payment')].sort()).toEqual([...BOOKING_STATUSES].sort());
    for (const s of BOOKING_STATUSES) {
      expect([...reachable(s)].some((r) => FINAL_STATUSES.includes(r))).toBe(true);
    }
  });

  it('stays inside the lifecycle whatever sequence of requests arrives', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(status, party), { maxLength: 40 }), (requests) => {
        let current: BookingStatus = 'pending_payment';
        for (const [to, who] of requests) {
          const wasFinal = isFinal(current);
          if (judgeTransition(current, to, who).ok) {
            expect(wasFinal).toBe(false);
            expect(inContract(current, to)).toBe(true);
            current = to;
          }
        }
      }),
    );
  });

  it('frees the slot exactly when leaving for cancelled, expired or no_show', () => {
    fc.assert(
      fc.property(status, (to) => {
        expect(freesSlot(to)).toBe(to === 'cancelled' || to === 'expired' || to === 'no_show');
      }),
    );
  });

  it('treats admins as admins whatever their relation, and concierges outside their scope as plain callers', () => {
    expect(partyOf('super_admin', 'owner')).toBe('admin');
    expect(partyOf('admin', 'admin')).toBe('admin');
    expect(partyOf('concierge', 'assigned')).toBe('concierge');
    expect(partyOf('concierge', 'location')).toBe('concierge');
    expect(partyOf('concierge', 'owner')).toBe('owner');
    expect(partyOf('customer', 'owner')).toBe('owner');
    expect(partyOf('guest', 'owner')).toBe('owner');
  });
});
