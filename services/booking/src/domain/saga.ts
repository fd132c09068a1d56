/**
 * A saga as a list of steps, each with `run` and `compensate`. The runner executes them in order
 * over a shared state; each step that completes records its compensation with the output it
 * produced. When a step fails, the recorded compensations run in reverse order (the latest
 * completed step first) and the step's error is thrown. A compensation that fails does not stop
 * the others: it is reported and the unwinding goes on, so every earlier step gets its undo.
 *
 * No I/O here: steps bring their own (remote calls, transactions, provider calls).
 */

export interface SagaStep<S, O> {
  /** Names the step in logs and in the compensation record. */
  name: string;
  /** Does the step's work; what it returns is handed to `compensate` and to `merge`. */
  run: (state: S) => Promise<O>;
  /** Undoes what `run` did, given what it returned; omitted when there is nothing to undo. */
  compensate?: (output: O, state: S, error: unknown) => Promise<void>;
  /** Folds the step's output into the state the next steps see. */
  merge: (state: S, output: O) => S;
}

/** Steps of any output over one state (the runner does not look inside outputs). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyStep<S> = SagaStep<S, any>;

export interface CompensationFailure {
  step: string;
  error: unknown;
}

export interface SagaHooks {
  /** Told of each compensation that failed (the unwinding carries on). */
  onCompensationFailed?: (failure: CompensationFailure) => void;
}

/**
 * Runs the steps in order. Resolves with the final state; on a failing step, compensates every
 * step that completed, latest first, then rejects with the failing step's own error (so callers
 * keep answering with the domain error a step threw).
 */
export async function runSaga<S>(
  steps: readonly AnyStep<S>[],
  initial: S,
  hooks: SagaHooks = {},
): Promise<S> {
  const undo: { step: string; compensate: (error: unknown) => Promise<void> }[] = [];
  let state = initial;
  for (const step of steps) {
    let output: unknown;
    try {
      output = await step.run(state);
    } catch (error) {
      await unwind(undo, error, hooks);
      throw error;
    }
    const seen = state;
    if (step.compensate) {
      const compensate = step.compensate;
      undo.push({ step: step.name, compensate: (error) => compensate(output, seen, error) });
    }
    state = step.merge(state, output);
  }
  return state;
}

async function unwind(
  undo: { step: string; compensate: (error: unknown) => Promise<void> }[],
  error: unknown,
  hooks: SagaHooks,
): Promise<void> {
  for (const entry of [...undo].reverse()) {
    try {
      await entry.compensate(error);
    } catch (failure) {
      hooks.onCompensationFailed?.({ step: entry.step, error: failure });
    }
  }
}
