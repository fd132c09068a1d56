/**
 * Which webhook event types active subscriptions want, kept in memory so the consumer can pass
 * over an event nobody subscribed to without a transaction. Other replicas change subscriptions
 * too, so the view is trusted for an event only if it was read after the event happened: a
 * subscription that existed when the event occurred is then in it. Reads are shared by every
 * event waiting for one and spaced out, so a stream of events costs a few reads a second, not
 * one each.
 */
import type { Tx } from '@midas/db';
import type { Logger } from '@midas/observability';
import { activeEventTypes } from './subscriptions';

export interface SubscribedTypesOptions {
  /** Read again at least this often while nothing asks (default 1000 ms). */
  everyMs?: number;
  /**
   * Least time between the starts of two reads (default 250 ms): an event may wait that long for
   * its webhooks, and a steady stream of events costs at most four reads a second.
   */
  minGapMs?: number;
}

export class SubscribedTypes {
  private types: ReadonlySet<string> = new Set();
  /** Epoch ms at which the read that gave `types` began: the view holds every change committed before it. */
  private asOf = Number.NEGATIVE_INFINITY;
  private lastStart = Number.NEGATIVE_INFINITY;
  private reading: Promise<void> | undefined;
  private readonly everyMs: number;
  private readonly minGapMs: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Tx,
    private readonly logger: Logger,
    options: SubscribedTypesOptions = {},
  ) {
    this.everyMs = options.everyMs ?? 1000;
    this.minGapMs = options.minGapMs ?? 250;
  }

  start(): void {
    this.timer ??= setInterval(() => this.refreshSoon(), this.everyMs).unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * Whether an active subscription wanted any of `types` when an event occurred at `occurredAt`;
   * reads the subscriptions again first unless the view is younger than the event. (An event
   * stamped ahead of this clock waits for the clock to pass it.)
   */
  async wantsAny(types: readonly string[], occurredAt: Date): Promise<boolean> {
    while (this.asOf <= occurredAt.getTime()) await this.refresh();
    return types.some((type) => this.types.has(type));
  }

  /** Reads again without waiting for the result: this process changed a subscription. */
  refreshSoon(): void {
    this.refresh().catch((err: unknown) =>
      this.logger.warn({ err }, 'could not read which events webhook subscriptions want'),
    );
  }

  /** One read at a time; a caller arriving while one waits for its turn shares it. */
  private refresh(): Promise<void> {
    this.reading ??= this.read().finally(() => (this.reading = undefined));
    return this.reading;
  }

  private async read(): Promise<void> {
    const wait = this.lastStart + this.minGapMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const startedAt = Date.now();
    this.lastStart = startedAt;
    const types = await activeEventTypes(this.db);
    this.types = new Set(types);
    this.asOf = Math.max(this.asOf, startedAt);
  }
}
