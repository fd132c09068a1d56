import fc from 'fast-check';
import { DateTime } from 'luxon';
import { BOOKING_STATUSES } from '@midas/contracts';
import {
  DEPOSIT_AUTHORIZABLE,
  MAX_DEPOSIT_LEAD_HOURS,
  PAYPAL_HONOR_HOURS,
  PAYPAL_REAUTHORIZE_DAYS,
  STRIPE_AUTHORIZATION_HOURS,
  datesMoved,
  depositAuthorizationKey,
  depositAuthorizeAt,
  judgeDepositAuthorization,
  judgeHeldAuthorization,
  type DepositStatusForSchedule,
} from '../../src/domain/deposit-schedule';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');
const instantArb = fc.integer({ min: 0, max: 400 * 86_400_000 }).map((ms) => new Date(T0 + ms));
const leadArb = fc.double({ min: 0, max: MAX_DEPOSIT_LEAD_HOURS, noNaN: true });
const DEPOSIT_STATUSES: DepositStatusForSchedule[] = [
  'pending',
  'authorized',
  'succeeded',
  'failed',
  'cancelled',
  'declined',
  'dead_lettered',
];

describe('deposit schedule', () => {
  it('authorises 48 h of real time before the start, not at booking, and at once when booked inside the lead', () => {
    const start = new Date('2026-07-10T10:00:00Z');
    const end = new Date('2026-07-12T10:00:00Z');
    const facts = { status: 'confirmed' as const, deposit: 'pending' as const, start, end, leadHours: 48 };
    expect(depositAuthorizeAt(start, 48)).toEqual(new Date('2026-07-08T10:00:00Z'));
    // Booked months ahead: the deposit waits for its moment.
    expect(judgeDepositAuthorization({ ...facts, now: new Date('2026-03-01T00:00:00Z') })).toEqual({
      kind: 'wait',
      until: new Date('2026-07-08T10:00:00Z'),
    });
    expect(judgeDepositAuthorization({ ...facts, now: new Date('2026-07-08T09:59:59.999Z') }).kind).toBe(
      'wait',
    );
    expect(judgeDepositAuthorization({ ...facts, now: new Date('2026-07-08T10:00:00Z') })).toEqual({
      kind: 'authorize',
    });
    // Booked (paid) 3 hours before the start: at once.
    expect(judgeDepositAuthorization({ ...facts, now: new Date('2026-07-10T07:00:00Z') })).toEqual({
      kind: 'authorize',
    });
    expect(judgeDepositAuthorization({ ...facts, now: end })).toEqual({
      kind: 'none',
      reason: 'rental_over',
    });
    expect(judgeDepositAuthorization({ ...facts, status: 'pending_payment', now: start })).toEqual({
      kind: 'none',
      reason: 'booking_not_active',
    });
  });

  it('counts the lead in real hours across a change of summer time: 47 or 49 hours on the local clock', () => {
    // Europe/Paris goes to summer time on 29 March 2026 at 02:00 and back on 25 October at 03:00.
    const springStart = DateTime.fromISO('2026-03-30T10:00', { zone: 'Europe/Paris' });
    const springAt = DateTime.fromJSDate(depositAuthorizeAt(springStart.toJSDate(), 48), {
      zone: 'Europe/Paris',
    });
    expect(springAt.toISO()).toBe('2026-03-28T09:00:00.000+01:00');
    // 48 real hours, 49 on the local clock (09:00 two days before a 10:00 start).
    const autumnStart = DateTime.fromISO('2026-10-26T10:00', { zone: 'Europe/Paris' });
    const autumnAt = DateTime.fromJSDate(depositAuthorizeAt(autumnStart.toJSDate(), 48), {
      zone: 'Europe/Paris',
    });
    // 48 real hours, 47 on the local clock.
    expect(autumnAt.toISO()).toBe('2026-10-24T11:00:00.000+02:00');
  });

  it('keeps the lead exact in elapsed time for any start, zone and lead, so the hold always outlives the wait', () => {
    fc.assert(
      fc.property(
        instantArb,
        leadArb,
        fc.constantFrom('Europe/Paris', 'America/New_York', 'Australia/Sydney', 'UTC', 'Asia/Kolkata'),
        (start, lead, zone) => {
          const at = depositAuthorizeAt(start, lead);
          expect(Math.abs(start.getTime() - at.getTime() - lead * HOUR)).toBeLessThan(1);
          // However the local clock reads it, the hold made then lasts until after the start.
          expect(at.getTime() + STRIPE_AUTHORIZATION_HOURS * HOUR).toBeGreaterThan(start.getTime());
          const local = DateTime.fromJSDate(at, { zone });
          expect(local.toMillis()).toBe(at.getTime());
        },
      ),
    );
  });

  it('authorises exactly when the booking is active, the rental not over, the deposit waiting and its moment reached', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...BOOKING_STATUSES),
        fc.constantFrom(...DEPOSIT_STATUSES),
        instantArb,
        fc.integer({ min: 1, max: 30 * 24 }),
        instantArb,
        leadArb,
        fc.boolean(),
        (status, deposit, start, hours, now, leadHours, retry) => {
          const end = new Date(start.getTime() + hours * HOUR);
          const step = judgeDepositAuthorization({ status, deposit, start, end, now, leadHours, retry });
          const active = DEPOSIT_AUTHORIZABLE.includes(status) && now < end;
          const waiting = deposit === 'pending' || (retry && deposit === 'declined');
          const due = retry || now.getTime() >= start.getTime() - leadHours * HOUR;
          expect(step.kind === 'authorize').toBe(active && waiting && due);
          if (step.kind === 'wait') {
            expect(active && waiting && !due).toBe(true);
            expect(step.until).toEqual(depositAuthorizeAt(start, leadHours));
            expect(step.until.getTime()).toBeGreaterThan(now.getTime());
          }
        },
      ),
    );
  });

  it('never asks again by itself for a declined deposit: only a staff retry does', () => {
    fc.assert(
      fc.property(instantArb, instantArb, (start, now) => {
        const end = new Date(start.getTime() + 24 * HOUR);
        const facts = {
          status: 'confirmed' as const,
          deposit: 'declined' as const,
          start,
          end,
          now,
          leadHours: 48,
        };
        expect(judgeDepositAuthorization(facts).kind).not.toBe('authorize');
        expect(judgeDepositAuthorization({ ...facts, retry: true }).kind).toBe(
          now < end ? 'authorize' : 'none',
        );
      }),
    );
  });

  it('keeps a PayPal hold within its 3-day honour period, reauthorises it until day 29, and calls it expired after', () => {
    const at = new Date(T0);
    expect(judgeHeldAuthorization(at, new Date(T0 + PAYPAL_HONOR_HOURS * HOUR - 1))).toBe('keep');
    expect(judgeHeldAuthorization(at, new Date(T0 + PAYPAL_HONOR_HOURS * HOUR))).toBe('reauthorize');
    expect(judgeHeldAuthorization(at, new Date(T0 + PAYPAL_REAUTHORIZE_DAYS * 24 * HOUR - 1))).toBe(
      'reauthorize',
    );
    expect(judgeHeldAuthorization(at, new Date(T0 + PAYPAL_REAUTHORIZE_DAYS * 24 * HOUR))).toBe('expired');
    fc.assert(
      fc.property(instantArb, fc.integer({ min: 0, max: 60 * 86_400_000 }), (from, age) => {
        const step = judgeHeldAuthorization(from, new Date(from.getTime() + age));
        const expected = age < 72 * HOUR ? 'keep' : age < 29 * 24 * HOUR ? 'reauthorize' : 'expired';
        expect(step).toBe(expected);
      }),
    );
  });

  it('sees a change of either date as moved, and gives each attempt its own idempotency key', () => {
    fc.assert(
      fc.property(instantArb, instantArb, instantArb, instantArb, (s1, e1, s2, e2) => {
        expect(datesMoved({ start: s1, end: e1 }, { start: s2, end: e2 })).toBe(
          s1.getTime() !== s2.getTime() || e1.getTime() !== e2.getTime(),
        );
        expect(datesMoved({ start: s1, end: e1 }, { start: new Date(s1), end: new Date(e1) })).toBe(false);
      }),
    );
    const keys = new Set([0, 1, 2].map((n) => depositAuthorizationKey('b', 'p', n)));
    expect(keys.size).toBe(3);
  });
});
