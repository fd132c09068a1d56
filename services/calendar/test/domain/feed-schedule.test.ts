import fc from 'fast-check';
import { MAX_BACKOFF_SECONDS, nextFetchDelaySeconds } from '../../src/domain/feed-schedule';

describe('when an imported feed is fetched next', () => {
  it('waits its interval after a success and doubles it per failure in a row, up to six hours', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 50].map((n) => nextFetchDelaySeconds(600, n))).toEqual([
      600,
      600,
      1200,
      2400,
      4800,
      9600,
      19_200,
      MAX_BACKOFF_SECONDS,
    ]);
  });

  it('property: the delay never shrinks with another failure, never undercuts the interval and never exceeds the cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 60, max: 86_400 }),
        fc.integer({ min: 0, max: 10_000 }),
        (interval, failures) => {
          const d = nextFetchDelaySeconds(interval, failures);
          const next = nextFetchDelaySeconds(interval, failures + 1);
          return (
            d >= interval && next >= d && d <= Math.max(MAX_BACKOFF_SECONDS, interval) && Number.isFinite(d)
          );
        },
      ),
    );
  });
});
