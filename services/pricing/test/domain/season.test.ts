import { seasonOn, seasonProblems, seasonsOverlap, type Season } from '../../src/domain/season';

const winter: Season = {
  name: 'Winter low',
  multiplierBps: 8_500,
  recurring: true,
  start: '11-01',
  end: '03-31',
};
const summer: Season = { name: 'Peak', multiplierBps: 15_000, recurring: true, start: '07-01', end: '08-31' };
const grandPrix: Season = {
  name: 'Grand Prix',
  multiplierBps: 20_000,
  recurring: false,
  start: '2026-06-04',
  end: '2026-06-07',
};
const june: Season = { name: 'High', multiplierBps: 12_500, recurring: true, start: '06-01', end: '06-30' };

describe('seasons', () => {
  it('finds a recurring season that wraps over New Year on both sides of it', () => {
    expect(seasonOn('2026-12-31', [winter, summer]).name).toBe('Winter low');
    expect(seasonOn('2027-01-01', [winter, summer]).name).toBe('Winter low');
    expect(seasonOn('2027-03-31', [winter, summer]).name).toBe('Winter low');
    expect(seasonOn('2027-04-01', [winter, summer]).name).toBe('Standard');
  });

  it('lets a one-off season win over the recurring season it falls in, only on its dates', () => {
    expect(seasonOn('2026-06-05', [june, grandPrix]).name).toBe('Grand Prix');
    expect(seasonOn('2027-06-05', [june, grandPrix]).name).toBe('High');
  });

  it('detects overlaps between seasons of the same kind only', () => {
    expect(seasonsOverlap(winter, { ...summer, start: '03-31', end: '04-10' })).toBe(true);
    expect(seasonsOverlap(winter, summer)).toBe(false);
    expect(seasonsOverlap(june, grandPrix)).toBe(false);
    expect(seasonsOverlap(grandPrix, { ...grandPrix, start: '2026-06-07', end: '2026-06-09' })).toBe(true);
  });

  it('names the bad bounds of a season', () => {
    expect(seasonProblems({ recurring: true, start: '02-30', end: '13-01' }).map((p) => p.field)).toEqual([
      'start',
      'end',
    ]);
    expect(seasonProblems({ recurring: true, start: '02-29', end: '03-01' })).toEqual([]);
    expect(seasonProblems({ recurring: false, start: '2026-06-07', end: '2026-06-04' })).toEqual([
      { field: 'end', message: 'must not be before start' },
    ]);
    expect(seasonProblems({ recurring: false, start: '2026-01-01', end: '2030-01-01' })).toHaveLength(1);
  });
});
