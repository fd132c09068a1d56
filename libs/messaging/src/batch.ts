/**
 * Gathers deliveries that arrive close together so they are handled in one transaction: a batch
 * opens with its first item and closes when it is full or its wait is over, whichever comes first.
 */

export interface BatchOptions {
  /** Items in one batch at most. */
  max: number;
  /** How long a batch's first item waits for others. */
  waitMs: number;
}

interface OpenBatch<T, R> {
  items: T[];
  waiters: { resolve: (value: R) => void; reject: (reason: unknown) => void }[];
  timer: NodeJS.Timeout | undefined;
}

export class Batcher<T, R> {
  private open: OpenBatch<T, R> | undefined;

  constructor(
    private readonly options: BatchOptions,
    /** Settles every item of a batch, one result per item in their order. */
    private readonly flush: (items: T[]) => Promise<PromiseSettledResult<R>[]>,
  ) {}

  /** Resolves or rejects with this item's own result once its batch is flushed. */
  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const batch = (this.open ??= this.begin());
      batch.items.push(item);
      batch.waiters.push({ resolve, reject });
      if (batch.items.length >= this.options.max) this.close(batch);
    });
  }

  /** Flushes the open batch now instead of at the end of its wait (on stop). */
  closeOpen(): void {
    if (this.open) this.close(this.open);
  }

  private begin(): OpenBatch<T, R> {
    const batch: OpenBatch<T, R> = { items: [], waiters: [], timer: undefined };
    batch.timer = setTimeout(() => this.close(batch), this.options.waitMs);
    return batch;
  }

  private close(batch: OpenBatch<T, R>): void {
    clearTimeout(batch.timer);
    if (this.open === batch) this.open = undefined;
    this.flush(batch.items).then(
      (results) =>
        results.forEach((result, i) => {
          const waiter = batch.waiters[i]!;
          if (result.status === 'fulfilled') waiter.resolve(result.value);
          else waiter.reject(result.reason);
        }),
      (err: unknown) => batch.waiters.forEach((waiter) => waiter.reject(err)),
    );
  }
}
