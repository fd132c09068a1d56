import { DelayedError } from 'bullmq';
import { COMMIT_GRACE_MS, NotCommittedYet, waitingForCommit } from '../../src';

class RowMissing extends NotCommittedYet {}

function jobQueuedAgo(ms: number) {
  const delays: number[] = [];
  return {
    delays,
    timestamp: Date.now() - ms,
    moveToDelayed: async (until: number) => {
      delays.push(until - Date.now());
    },
  };
}

describe('waiting for the transaction that queued a job', () => {
  it("hands back the work's result", async () => {
    await expect(waitingForCommit(jobQueuedAgo(0), 'token', async () => 'done')).resolves.toBe('done');
  });

  it('puts the job back for a short poll, costing no attempt, while the row is missing within the grace', async () => {
    const job = jobQueuedAgo(1_000);
    await expect(
      waitingForCommit(job, 'token', () => Promise.reject(new RowMissing('booking 1 not recorded yet'))),
    ).rejects.toBeInstanceOf(DelayedError);
    expect(job.delays).toHaveLength(1);
    expect(job.delays[0]).toBeLessThanOrEqual(100);
  });

  it('lets the error through after the grace, without a token, or when it is another error', async () => {
    const late = jobQueuedAgo(COMMIT_GRACE_MS + 1);
    await expect(
      waitingForCommit(late, 'token', () => Promise.reject(new RowMissing('gone'))),
    ).rejects.toThrow(RowMissing);
    const untokened = jobQueuedAgo(0);
    await expect(
      waitingForCommit(untokened, undefined, () => Promise.reject(new RowMissing('x'))),
    ).rejects.toBeInstanceOf(RowMissing);
    const other = jobQueuedAgo(0);
    await expect(waitingForCommit(other, 'token', () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    expect([...late.delays, ...untokened.delays, ...other.delays]).toHaveLength(0);
  });

  it("names the error after the service's own class", () => {
    expect(new RowMissing('x').name).toBe('RowMissing');
  });
});
