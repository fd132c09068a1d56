/** The deposit rules: who may capture or release, when, and how much. */
import fc from 'fast-check';
import { BOOKING_STATUSES } from '@midas/contracts';
import {
  DEPOSIT_CAPTURABLE,
  judgeDepositCapture,
  judgeDepositRelease,
  type Party,
} from '../../../src/domain';

const party = fc.constantFrom<Party>('owner', 'concierge', 'admin', 'system');
const status = fc.constantFrom(...BOOKING_STATUSES);
const money = fc.integer({ min: 1, max: 50_000_000 });

describe('deposit capture', () => {
  it('lets staff capture any amount up to the hold once the booking is under way or over', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Party>('concierge', 'admin'),
        fc.constantFrom(...DEPOSIT_CAPTURABLE),
        money,
        (who, s, held) =>
          fc.assert(
            fc.property(fc.integer({ min: 1, max: held }), (requested) => {
              expect(
                judgeDepositCapture({ party: who, status: s, held: true, authorised: held, requested }),
              ).toEqual({
                ok: true,
                amount: requested,
              });
            }),
            { numRuns: 5 },
          ),
      ),
    );
  });

  it('captures the whole hold when no amount is given', () => {
    expect(judgeDepositCapture({ party: 'admin', status: 'completed', held: true, authorised: 700 })).toEqual(
      {
        ok: true,
        amount: 700,
      },
    );
  });

  it('never lets a guest or the system capture, and never captures more than was held or before check-in', () => {
    fc.assert(
      fc.property(
        party,
        status,
        fc.boolean(),
        money,
        fc.option(fc.integer({ min: -10, max: 60_000_000 })),
        (who, s, held, authorised, requested) => {
          const verdict = judgeDepositCapture({
            party: who,
            status: s,
            held,
            authorised,
            requested: requested ?? undefined,
          });
          if (verdict.ok) {
            expect(['concierge', 'admin']).toContain(who);
            expect(held).toBe(true);
            expect(DEPOSIT_CAPTURABLE).toContain(s);
            expect(verdict.amount).toBeGreaterThan(0);
            expect(verdict.amount).toBeLessThanOrEqual(authorised);
          } else if (who === 'owner' || who === 'system') {
            expect(verdict.reason).toBe('staff_only');
          }
        },
      ),
    );
  });

  it('refuses a release by anyone but staff, or when nothing is held', () => {
    expect(judgeDepositRelease({ party: 'owner', held: true })).toEqual({ ok: false, reason: 'staff_only' });
    expect(judgeDepositRelease({ party: 'concierge', held: false })).toEqual({
      ok: false,
      reason: 'not_held',
    });
    expect(judgeDepositRelease({ party: 'admin', held: true }).ok).toBe(true);
  });
});
