/**
 * Gathers the reminder jobs running at the same moment into one transaction: a job's request
 * waits at most `maxWaitMs` for others (or until `maxSize` are gathered), then all are decided and
 * recorded together, which is what lets 10,000 reminders due at once go out at the pace of the
 * queue rather than of one commit each. Should a batch fail, its requests are retried one by one,
 * so a single bad booking fails only its own job.
 */
import type { ReminderOutcome, ReminderRequest } from '../flows/send-reminder';

type Send = (requests: ReminderRequest[]) => Promise<ReminderOutcome[]>;

interface Waiting {
  request: ReminderRequest;
  resolve: (outcome: ReminderOutcome) => void;
  reject: (err: unknown) => void;
}

export class ReminderBatcher {
  private waiting: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly send: Send,
    private readonly options: { maxSize: number; maxWaitMs: number },
  ) {}

  submit(request: ReminderRequest): Promise<ReminderOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ request, resolve, reject });
      if (this.waiting.length >= this.options.maxSize) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.maxWaitMs);
    });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) return;
    void this.run(batch);
  }

  private async run(batch: Waiting[]): Promise<void> {
    try {
      const outcomes = await this.send(batch.map((w) => w.request));
      batch.forEach((w, i) => w.resolve(outcomes[i]!));
    } catch (err) {
      if (batch.length === 1) return batch[0]!.reject(err);
      for (const w of batch) {
        await this.send([w.request]).then(([outcome]) => w.resolve(outcome!), w.reject);
      }
    }
  }
}
