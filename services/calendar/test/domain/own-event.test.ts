import fc from 'fast-check';
import { googleEventBody } from '../../src/domain/google-event';
import { googleEventId, parseGoogleEventId } from '../../src/domain/event-ids';
import { judgeOwnEvent } from '../../src/domain/own-event';
import type { CalendarEntry } from '../../src/domain/entry';

const entry = (over: Partial<CalendarEntry> = {}): CalendarEntry => ({
  kind: 'booking',
  ref: '3f0c1a52-8d5e-4b8e-9a51-0b7f1f6c2d11',
  itemId: '00000000-0000-4000-8000-000000000001',
  itemType: 'yacht',
  timezone: 'Europe/Monaco',
  start: new Date('2037-03-28T22:00:00Z'),
  end: new Date('2037-03-29T09:00:00Z'),
  status: 'confirmed',
  summary: 'Riva: booking MD-3F0C1A52',
  sequence: 0,
  ...over,
});

describe('Midas events as found in Google', () => {
  it('reads back the booking or blackout behind any of our event ids, and nothing from other ids', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.constantFrom('booking' as const, 'blackout' as const), (ref, kind) => {
        expect(parseGoogleEventId(googleEventId(kind, ref))).toEqual({ kind, ref: ref.toLowerCase() });
      }),
    );
    expect(parseGoogleEventId('ext0123456789abcdef')).toBeUndefined();
    expect(parseGoogleEventId('midasbk123')).toBeUndefined();
  });

  it('finds the event Midas wrote in step with the entry, across a DST change, whatever the zone it is read in', () => {
    const e = entry();
    expect(judgeOwnEvent(e, googleEventBody(e))).toEqual({ kind: 'in_step' });
  });

  it('sees a deletion, a move and a new title of an event Midas still has', () => {
    const e = entry();
    const body = googleEventBody(e);
    expect(judgeOwnEvent(e, { ...body, status: 'cancelled' })).toEqual({
      kind: 'changed',
      change: 'deleted',
    });
    expect(
      judgeOwnEvent(e, {
        ...body,
        end: { dateTime: '2037-03-29T12:00:00+02:00', timeZone: 'Europe/Monaco' },
      }),
    ).toEqual({ kind: 'changed', change: 'moved' });
    expect(judgeOwnEvent(e, { ...body, summary: 'Private use' })).toEqual({
      kind: 'changed',
      change: 'edited',
    });
  });

  it('sees an event brought back in Google that Midas removed, and leaves a removed one alone', () => {
    const cancelled = entry({ status: 'cancelled' });
    const body = googleEventBody(cancelled);
    expect(judgeOwnEvent(cancelled, body)).toEqual({ kind: 'changed', change: 'restored' });
    expect(judgeOwnEvent(cancelled, { ...body, status: 'cancelled' })).toEqual({ kind: 'in_step' });
  });
});
