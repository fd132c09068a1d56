import fc from 'fast-check';
import { DateTime } from 'luxon';
import { BOOKING_STATUSES } from '@midas/contracts';
import {
  REMINDABLE_STATUSES,
  judgeReminder,
  normalizeOffsets,
  owedReminders,
  reminderMoments,
  reminderToleranceMs,
  upcomingReminders,
  type ReminderOffset,
} from '../../src/domain/reminder-schedule';

const DEFAULT: ReminderOffset[] = [
  { label: '24h', seconds: 86_400 },
  { label: '4h', seconds: 14_400 },
  { label: '1h', seconds: 3_600 },
];
const T0 = Date.parse('2026-01-01T00:00:00Z');

const offsetsArb = fc
  .uniqueArray(fc.integer({ min: 1, max: 3 * 86_400 }), { minLength: 1, maxLength: 5 })
  .map((secs) => secs.map((seconds) => ({ label: `${seconds}s`, seconds })));
const instantArb = fc.integer({ min: 0, max: 60 * 86_400_000 }).map((ms) => new Date(T0 + ms));

describe('reminder schedule', () => {
  it('yields exactly the 1h reminder for a booking confirmed 61 minutes before its start', () => {
    const now = new Date(T0);
    const start = new Date(T0 + 61 * 60_000);
    expect(upcomingReminders(start, DEFAULT, now)).toEqual([
      { offset: DEFAULT[2], dueAt: new Date(T0 + 60_000) },
    ]);
    const facts = { status: 'concierge_assigned' as const, start, datesFixedAt: now, offsets: DEFAULT };
    expect(owedReminders({ ...facts, now: new Date(T0 + 30_000) }, [])).toEqual([]);
    expect(owedReminders({ ...facts, now: new Date(T0 + 60_000) }, []).map((m) => m.offset.label)).toEqual([
      '1h',
    ]);
  });

  it('never owes two reminders at once, nor one before its moment, at or after the start, or before the dates were fixed', () => {
    fc.assert(
      fc.property(offsetsArb, instantArb, instantArb, instantArb, (offsets, start, fixed, now) => {
        const owed = owedReminders({ status: 'confirmed', start, datesFixedAt: fixed, offsets, now }, []);
        expect(owed.length).toBeLessThanOrEqual(1);
        for (const m of owed) {
          expect(m.dueAt.getTime()).toBeLessThanOrEqual(now.getTime());
          expect(m.dueAt.getTime()).toBeGreaterThanOrEqual(fixed.getTime());
          expect(now.getTime()).toBeLessThan(start.getTime());
          expect(now.getTime() - m.dueAt.getTime()).toBeLessThan(reminderToleranceMs(offsets, m.offset));
        }
      }),
    );
  });

  it('owes each scheduled reminder at its own moment, and never one already due when the dates were fixed', () => {
    fc.assert(
      fc.property(
        offsetsArb,
        instantArb,
        instantArb,
        fc.nat(3 * 86_400_000),
        (offsets, start, fixed, wait) => {
          const scheduled = new Set(upcomingReminders(start, offsets, fixed).map((m) => m.offset.seconds));
          for (const m of reminderMoments(start, offsets)) {
            const facts = { status: 'ready' as const, start, datesFixedAt: fixed, offset: m.offset, offsets };
            if (scheduled.has(m.offset.seconds)) {
              expect(m.dueAt.getTime()).toBeGreaterThan(fixed.getTime());
              expect(judgeReminder({ ...facts, now: m.dueAt })).toEqual({ kind: 'send', dueAt: m.dueAt });
            } else {
              const now = new Date(fixed.getTime() + wait);
              expect(judgeReminder({ ...facts, now }).kind).toBe('skip');
            }
          }
        },
      ),
    );
  });

  it("owes a reminder to its own job only while the job's moment is still the booking's", () => {
    fc.assert(
      fc.property(
        offsetsArb,
        instantArb,
        fc.integer({ min: -86_400_000, max: 86_400_000 }),
        fc.nat(3 * 86_400_000),
        (offsets, start, moved, late) => {
          const [offset] = normalizeOffsets(offsets);
          const scheduledDueAt = new Date(start.getTime() - offset!.seconds * 1000);
          const current = new Date(start.getTime() + moved);
          const dueNow = new Date(current.getTime() - offset!.seconds * 1000);
          const now = new Date(scheduledDueAt.getTime() + late);
          const verdict = judgeReminder({
            status: 'concierge_assigned',
            start: current,
            datesFixedAt: null,
            scheduledDueAt,
            offset: offset!,
            offsets,
            now,
          });
          if (dueNow.getTime() > now.getTime()) expect(verdict).toEqual({ kind: 'wait', until: dueNow });
          else if (moved !== 0) expect(verdict).toEqual({ kind: 'skip', reason: 'before_dates_fixed' });
          else if (late < reminderToleranceMs(offsets, offset!)) expect(verdict.kind).toBe('send');
          else expect(verdict).toEqual({ kind: 'skip', reason: 'too_late' });
        },
      ),
    );
  });

  it('owes nothing to a booking that is not paid for or has begun, whatever the moment', () => {
    const others = BOOKING_STATUSES.filter((s) => !REMINDABLE_STATUSES.includes(s));
    fc.assert(
      fc.property(
        fc.constantFrom(...others),
        offsetsArb,
        instantArb,
        instantArb,
        (status, offsets, start, now) => {
          expect(owedReminders({ status, start, datesFixedAt: new Date(0), offsets, now }, [])).toEqual([]);
        },
      ),
    );
  });

  it('does not owe a reminder already sent for the same moment, but owes the moved one', () => {
    const start = new Date(T0 + 2 * 3_600_000);
    const now = new Date(T0 + 3_600_000 + 1000);
    const facts = { status: 'confirmed' as const, datesFixedAt: new Date(T0), offsets: DEFAULT, now };
    const sentAtOldMoment = [{ offsetSeconds: 3_600, dueAt: new Date(T0 + 3_600_000) }];
    expect(owedReminders({ ...facts, start }, sentAtOldMoment)).toEqual([]);
    const moved = new Date(start.getTime() + 500);
    expect(owedReminders({ ...facts, start: moved }, sentAtOldMoment).map((m) => m.offset.label)).toEqual([
      '1h',
    ]);
  });

  it('waits for a moment still ahead, which is how a job follows a booking moved later', () => {
    const start = new Date(T0 + 86_400_000);
    expect(
      judgeReminder({
        status: 'confirmed',
        start,
        datesFixedAt: new Date(T0),
        offset: DEFAULT[2]!,
        offsets: DEFAULT,
        now: new Date(T0),
      }),
    ).toEqual({ kind: 'wait', until: new Date(start.getTime() - 3_600_000) });
  });

  it('gives each reminder until the next one (the last until the start) and ignores repeated durations', () => {
    expect(DEFAULT.map((o) => reminderToleranceMs(DEFAULT, o))).toEqual([72_000_000, 10_800_000, 3_600_000]);
    expect(
      normalizeOffsets([
        { label: '1h', seconds: 3600 },
        { label: '60m', seconds: 3600 },
        { label: '0m', seconds: 0 },
        { label: '1d', seconds: 86_400 },
      ]).map((o) => o.label),
    ).toEqual(['1d', '1h']);
  });

  it('counts offsets in exact hours across DST changes, so 24h before a Sunday 10:00 after spring-forward is Saturday 09:00', () => {
    const start = DateTime.fromISO('2026-03-29T10:00', { zone: 'Europe/Paris' }).toJSDate();
    const [day] = reminderMoments(start, DEFAULT);
    expect(DateTime.fromJSDate(day!.dueAt, { zone: 'Europe/Paris' }).toFormat('yyyy-MM-dd HH:mm')).toBe(
      '2026-03-28 09:00',
    );
    const zones = fc.constantFrom('Europe/Paris', 'America/New_York', 'Australia/Sydney');
    // Starts around the 2026 transitions of these zones.
    const around = fc.constantFrom(
      '2026-03-08',
      '2026-03-29',
      '2026-04-05',
      '2026-10-04',
      '2026-10-25',
      '2026-11-01',
    );
    fc.assert(
      fc.property(
        zones,
        around,
        fc.integer({ min: -48, max: 48 }),
        offsetsArb,
        (zone, date, hours, offsets) => {
          const start = DateTime.fromISO(`${date}T03:00`, { zone }).plus({ hours }).toJSDate();
          for (const m of reminderMoments(start, offsets)) {
            expect(start.getTime() - m.dueAt.getTime()).toBe(m.offset.seconds * 1000);
          }
        },
      ),
    );
  });
});
