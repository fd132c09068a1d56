import fc from 'fast-check';
import { BOOKING_STATUSES } from '@midas/contracts';
import { FINAL_STATUSES, isCancellable, judgeErasure } from '../../src/domain';

describe('when personal data may be erased', () => {
  it('allows every final status, whatever money is still moving', () => {
    for (const status of FINAL_STATUSES) {
      expect(judgeErasure(status, true)).toEqual({ ok: true });
      expect(judgeErasure(status, false)).toEqual({ ok: true });
    }
  });

  it('allows a cancellation or a no-show only once no payment or refund is on its way', () => {
    for (const status of ['cancelled', 'no_show'] as const) {
      expect(judgeErasure(status, false)).toEqual({ ok: true });
      expect(judgeErasure(status, true)).toEqual({ ok: false, reason: 'money_moving' });
    }
  });

  it('never allows a booking that may still be served (anything still cancellable)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...BOOKING_STATUSES), fc.boolean(), (status, moving) => {
        const verdict = judgeErasure(status, moving);
        if (isCancellable(status) || status === 'in_progress') expect(verdict.ok).toBe(false);
      }),
    );
  });
});
