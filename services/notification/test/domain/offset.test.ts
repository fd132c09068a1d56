import fc from 'fast-check';
import { describeOffset } from '../../src/domain/offset';

describe('describeOffset', () => {
  it('puts reminder offsets into words the way they were configured', () => {
    expect(describeOffset('1h')).toBe('1 hour');
    expect(describeOffset('4h')).toBe('4 hours');
    expect(describeOffset('24h')).toBe('24 hours');
    expect(describeOffset('90m')).toBe('1 hour, 30 minutes');
    expect(describeOffset('30m')).toBe('30 minutes');
    expect(describeOffset('2d')).toBe('2 days');
    expect(describeOffset('30s')).toBe('30 seconds');
    expect(describeOffset('3661s')).toBe('1 hour, 1 minute, 1 second');
  });

  it('loses no minute when rolling minutes into hours', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), (minutes) => {
        const words = describeOffset(`${minutes}m`);
        const hours = Number(/(\d+) hours?/.exec(words)?.[1] ?? 0);
        const rest = Number(/(\d+) minutes?/.exec(words)?.[1] ?? 0);
        expect(hours * 60 + rest).toBe(minutes);
      }),
    );
  });

  it('shows a label it does not understand as given', () => {
    expect(describeOffset('tomorrow')).toBe('tomorrow');
  });
});
