import fc from 'fast-check';
import { orderTransports } from '../../src/domain/transport-order';

const labels = ['primary', 'secondary', 'tertiary', 'fourth'].map((label) => ({ label }));

describe('orderTransports', () => {
  it('keeps the configured order while nothing has failed', () => {
    expect(orderTransports(labels, 1_000, { failedAt: new Map(), coolDownMs: 30_000 })).toEqual(labels);
  });

  it('tries a primary that just failed after the others, and first again once it has cooled down', () => {
    const failedAt = new Map([['primary', 1_000]]);
    expect(orderTransports(labels, 5_000, { failedAt, coolDownMs: 30_000 }).map((t) => t.label)).toEqual([
      'secondary',
      'tertiary',
      'fourth',
      'primary',
    ]);
    expect(orderTransports(labels, 31_000, { failedAt, coolDownMs: 30_000 })).toEqual(labels);
  });

  it('never drops a transport and keeps the configured order within healthy and cooling ones', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: undefined }), {
          minLength: 4,
          maxLength: 4,
        }),
        fc.integer({ min: 0, max: 200_000 }),
        (failures, now) => {
          const failedAt = new Map(
            failures.flatMap((at, i) =>
              at === undefined ? [] : [[labels[i]!.label, at] as [string, number]],
            ),
          );
          const ordered = orderTransports(labels, now, { failedAt, coolDownMs: 30_000 });
          expect([...ordered].sort((a, b) => a.label.localeCompare(b.label))).toEqual(
            [...labels].sort((a, b) => a.label.localeCompare(b.label)),
          );
          const isCooling = (label: string) => {
            const at = failedAt.get(label);
            return at !== undefined && now - at < 30_000;
          };
          const firstCooling = ordered.findIndex((t) => isCooling(t.label));
          if (firstCooling >= 0)
            expect(ordered.slice(firstCooling).every((t) => isCooling(t.label))).toBe(true);
          const rank = (l: string) => labels.findIndex((t) => t.label === l);
          for (const group of [
            ordered.filter((t) => isCooling(t.label)),
            ordered.filter((t) => !isCooling(t.label)),
          ]) {
            const ranks = group.map((t) => rank(t.label));
            expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
          }
        },
      ),
    );
  });
});
