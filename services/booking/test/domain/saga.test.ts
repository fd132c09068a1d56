import fc from 'fast-check';
import { runSaga, type AnyStep } from '../../src/domain/saga';

type Log = string[];

/** n steps; step `failAt` (if any) throws; steps in `withoutUndo` have no compensate. */
function steps(
  n: number,
  failAt: number | undefined,
  withoutUndo: ReadonlySet<number>,
  log: Log,
  failingUndo: ReadonlySet<number> = new Set(),
): AnyStep<number[]>[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `s${i}`,
    run: async (state: number[]) => {
      log.push(`run ${i} after ${state.join(',')}`);
      if (i === failAt) throw new Error(`step ${i} failed`);
      return i * 10;
    },
    compensate: withoutUndo.has(i)
      ? undefined
      : async (output: number, state: number[], error: unknown) => {
          log.push(`undo ${i} of ${output} seen ${state.length} because ${(error as Error).message}`);
          if (failingUndo.has(i)) throw new Error(`undo ${i} failed`);
        },
    merge: (state: number[], output: number) => [...state, output],
  }));
}

const shape = fc.integer({ min: 0, max: 8 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    failAt:
      n === 0 ? fc.constant(undefined) : fc.option(fc.integer({ min: 0, max: n - 1 }), { nil: undefined }),
    withoutUndo: fc.uniqueArray(fc.integer({ min: 0, max: Math.max(0, n - 1) }), { maxLength: n }),
    failingUndo: fc.uniqueArray(fc.integer({ min: 0, max: Math.max(0, n - 1) }), { maxLength: n }),
  }),
);

describe('saga runner', () => {
  it('runs every step in order and compensates nothing when all succeed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 8 }), async (n) => {
        const log: Log = [];
        const final = await runSaga(steps(n, undefined, new Set(), log), []);
        expect(final).toEqual(Array.from({ length: n }, (_, i) => i * 10));
        expect(log.filter((l) => l.startsWith('undo'))).toEqual([]);
        expect(log.map((l) => l.split(' ')[1])).toEqual(Array.from({ length: n }, (_, i) => String(i)));
      }),
    );
  });

  it('on any failing step compensates exactly the earlier steps, in reverse, and throws its error', async () => {
    await fc.assert(
      fc.asyncProperty(shape, async ({ n, failAt, withoutUndo, failingUndo }) => {
        const log: Log = [];
        const undoFailures: string[] = [];
        const run = runSaga(steps(n, failAt, new Set(withoutUndo), log, new Set(failingUndo)), [], {
          onCompensationFailed: (f) => undoFailures.push(f.step),
        });
        if (failAt === undefined) {
          await expect(run).resolves.toHaveLength(n);
          return;
        }
        await expect(run).rejects.toThrow(`step ${failAt} failed`);
        // No step after the failing one ran.
        expect(log.filter((l) => l.startsWith('run')).map((l) => Number(l.split(' ')[1]))).toEqual(
          Array.from({ length: failAt + 1 }, (_, i) => i),
        );
        const expected = Array.from({ length: failAt }, (_, i) => failAt - 1 - i).filter(
          (i) => !withoutUndo.includes(i),
        );
        const undone = log.filter((l) => l.startsWith('undo'));
        expect(undone.map((l) => Number(l.split(' ')[1]))).toEqual(expected);
        for (const line of undone) {
          const i = Number(line.split(' ')[1]);
          // Each compensation gets its own step's output, the state that step saw, and the cause.
          expect(line).toBe(`undo ${i} of ${i * 10} seen ${i} because step ${failAt} failed`);
        }
        // A failing compensation is reported and the others still run.
        expect(undoFailures).toEqual(expected.filter((i) => failingUndo.includes(i)).map((i) => `s${i}`));
      }),
    );
  });
});
