import fc from 'fast-check';
import { DateTime } from 'luxon';
import { fromGoogleTime, toGoogleTime } from '../../src/domain/local-time';
import { googleEventBody } from '../../src/domain/google-event';

const zones = [
  'Europe/Monaco',
  'America/New_York',
  'Australia/Sydney',
  'Asia/Dubai',
  'America/Sao_Paulo',
  'UTC',
];
const zone = fc.constantFrom(...zones);
const instant = fc.date({
  min: new Date('2030-01-01T00:00:00Z'),
  max: new Date('2040-01-01T00:00:00Z'),
  noInvalidDate: true,
});
/** Instants within two hours of a DST change in Europe or the US. */
const nearDst = fc
  .tuple(
    fc.constantFrom(
      '2037-03-29T01:00:00Z', // Europe springs forward
      '2037-10-25T01:00:00Z', // Europe falls back
      '2037-03-08T07:00:00Z', // New York springs forward
      '2037-11-01T06:00:00Z', // New York falls back
    ),
    fc.integer({ min: -120, max: 120 }),
  )
  .map(([at, minutes]) => new Date(Date.parse(at) + minutes * 60_000));

describe('times in an item zone', () => {
  it('writes an instant as local time with the offset in force then, which reads back to the same instant', () => {
    fc.assert(
      fc.property(fc.oneof(instant, nearDst), zone, (at, z) => {
        const t = toGoogleTime(new Date(Math.floor(at.getTime() / 1000) * 1000), z);
        expect(t.timeZone).toBe(z);
        const back = fromGoogleTime(t, 'UTC');
        expect(back?.getTime()).toBe(Math.floor(at.getTime() / 1000) * 1000);
        const offset = DateTime.fromJSDate(at, { zone: z }).offset;
        const sign = offset < 0 ? '-' : '+';
        const hh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
        const mm = String(Math.abs(offset) % 60).padStart(2, '0');
        expect(t.dateTime.endsWith(z === 'UTC' ? 'Z' : `${sign}${hh}:${mm}`)).toBe(true);
      }),
    );
  });

  it('keeps the length of a booking across a DST change: a night on the fall-back date lasts 13 hours of wall clock', () => {
    const entry = {
      kind: 'booking' as const,
      ref: '3f0c1a52-8d5e-4b8e-9a51-0b7f1f6c2d11',
      itemId: '0a0c1a52-8d5e-4b8e-9a51-0b7f1f6c2d11',
      itemType: 'property',
      timezone: 'Europe/Monaco',
      start: new Date('2037-10-24T20:00:00Z'), // 22:00 CEST
      end: new Date('2037-10-25T08:00:00Z'), // 09:00 CET, 12 real hours later
      status: 'confirmed',
      summary: 'Villa: booking MD-3F0C1A52',
      sequence: 0,
    };
    const body = googleEventBody(entry);
    expect(body.start).toEqual({ dateTime: '2037-10-24T22:00:00+02:00', timeZone: 'Europe/Monaco' });
    expect(body.end).toEqual({ dateTime: '2037-10-25T09:00:00+01:00', timeZone: 'Europe/Monaco' });
    expect(body.id).toBe('midasbk3f0c1a528d5e4b8e9a510b7f1f6c2d11');
  });

  it('reads an all-day event as starting at midnight in the item zone, whatever zone the event names', () => {
    expect(fromGoogleTime({ date: '2037-03-29' }, 'Europe/Monaco')?.toISOString()).toBe(
      '2037-03-28T23:00:00.000Z',
    );
    expect(fromGoogleTime({ date: '2037-03-30' }, 'Europe/Monaco')?.toISOString()).toBe(
      '2037-03-29T22:00:00.000Z',
    );
    expect(fromGoogleTime({ date: '2037-03-30', timeZone: 'UTC' }, 'Europe/Monaco')?.toISOString()).toBe(
      '2037-03-29T22:00:00.000Z',
    );
    expect(fromGoogleTime({ date: '2037-3-30' }, 'Europe/Monaco')).toBeUndefined();
    expect(fromGoogleTime({}, 'UTC')).toBeUndefined();
    expect(fromGoogleTime({ dateTime: 'not a time' }, 'UTC')).toBeUndefined();
    expect(fromGoogleTime(undefined, 'UTC')).toBeUndefined();
  });
});
