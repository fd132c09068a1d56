/**
 * Publishes committed outbox rows with publisher confirms and marks them sent only after the
 * broker's ack. Rows are claimed with FOR UPDATE SKIP LOCKED, so replicas share the work without
 * publishing a row twice while both are alive; a crash between publish and commit re-sends the
 * batch, which the consumers' inbox absorbs. Wakes on NOTIFY from the outbox trigger, and polls
 * as a safety net. Between batches it purges, in bounded batches, sent outbox rows and the ids the
 * schema's inbox consumers processed, once each is past its retention.
 */
import type { PoolClient } from 'pg';
import { context, SpanKind, trace } from '@opentelemetry/api';
import type { Pool } from '@midas/db';
import type { Logger } from '@midas/observability';
import type { Broker } from './broker';
import { describe } from './link';
import { contextFromHeaders, traceHeaders, type Envelope } from './envelope';
import { OUTBOX_CHANNEL } from './migrations';
import { tracer } from './tracer';

export interface OutboxRelayOptions {
  pool: Pool;
  /** The Postgres schema holding the `outbox` table. */
  schema: string;
  broker: Broker;
  logger: Logger;
  /** The envelope's `source` (the service name). */
  source: string;
  /** Rows per transaction (default 200). */
  batchSize?: number;
  /** Poll interval when no notification arrives (default 1000 ms). */
  pollIntervalMs?: number;
  /** Sent rows older than this are deleted (default 24 h). */
  retentionMs?: number;
  /**
   * Processed event ids in the schema's inbox older than this are deleted (INBOX_RETENTION,
   * default 7 days). A redelivery older than that would be handled again, so it must outlast the
   * broker's redelivery and any dead-letter replay.
   */
  inboxRetentionMs?: number;
  /** Rows per purge statement (default 5000); each statement commits on its own. */
  purgeBatchSize?: number;
}

/** Purge statements per table in one sweep, so a large backlog never holds the relay for long. */
const PURGE_BATCHES_PER_SWEEP = 10;

interface OutboxRow {
  id: string;
  type: string;
  version: number;
  occurred_at: Date;
  data: unknown;
  headers: Record<string, string>;
}

export class OutboxRelay {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private pendingWake = false;
  private listener: PoolClient | undefined;
  private lastPurge = 0;
  private published = 0;
  private readonly logger: Logger;
  private readonly table: string;
  private readonly inbox: string;

  constructor(private readonly opts: OutboxRelayOptions) {
    this.logger = opts.logger.child({ component: 'outbox-relay', schema: opts.schema });
    const schema = `"${opts.schema.replace(/"/g, '""')}"`;
    this.table = `${schema}.outbox`;
    this.inbox = `${schema}.inbox`;
  }

  /** Events published since start. */
  get publishedCount(): number {
    return this.published;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Finishes the batch in hand, then stops listening. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.signal();
    await this.loop;
    const listener = this.listener;
    this.listener = undefined;
    if (listener) {
      await listener.query(`UNLISTEN ${OUTBOX_CHANNEL}`).catch(() => undefined);
      listener.release();
    }
  }

  private signal(): void {
    this.pendingWake = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        await this.ensureListener();
        const sent = await this.relayBatch();
        failures = 0;
        if (sent >= (this.opts.batchSize ?? 200)) continue;
        await this.purge();
        await this.idle(this.opts.pollIntervalMs ?? 1000);
      } catch (err) {
        failures += 1;
        this.logger.warn({ err: describe(err), failures }, 'outbox relay batch failed; retrying');
        await this.idle(Math.min(5000, 100 * 2 ** Math.min(failures, 6)));
      }
    }
  }

  private async idle(ms: number): Promise<void> {
    if (this.pendingWake || !this.running) {
      this.pendingWake = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
    this.pendingWake = false;
  }

  private async ensureListener(): Promise<void> {
    if (this.listener) return;
    const client = await this.opts.pool.connect();
    const drop = () => {
      if (this.listener !== client) return;
      this.listener = undefined;
      client.release(true);
      this.signal();
    };
    client.on('error', drop);
    client.on('end', drop);
    client.on('notification', (n) => {
      if (n.channel === OUTBOX_CHANNEL && n.payload === this.opts.schema) this.signal();
    });
    await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
    this.listener = client;
  }

  /** One transaction: claim unsent rows, publish them, wait for confirms, mark them sent. */
  private async relayBatch(): Promise<number> {
    const client = await this.opts.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<OutboxRow>(
        `SELECT id, type, version, occurred_at, data, headers FROM ${this.table}
          WHERE sent_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.opts.batchSize ?? 200],
      );
      if (rows.length === 0) {
        await client.query('COMMIT');
        return 0;
      }
      await this.broker.publishConfirmed(rows.map((row) => this.message(row)));
      await client.query(`UPDATE ${this.table} SET sent_at = now() WHERE id = ANY($1::uuid[])`, [
        rows.map((r) => r.id),
      ]);
      await client.query('COMMIT');
      this.published += rows.length;
      this.broker.metrics?.published.inc({ schema: this.opts.schema }, rows.length);
      this.logger.debug({ count: rows.length }, 'outbox batch published');
      return rows.length;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw err;
    } finally {
      client.release(broken);
    }
  }

  private get broker(): Broker {
    return this.opts.broker;
  }

  private message(row: OutboxRow) {
    const envelope: Envelope = {
      id: row.id,
      type: row.type,
      version: row.version,
      occurredAt: row.occurred_at.toISOString(),
      source: this.opts.source,
      data: row.data,
    };
    // The publish span continues the trace that was active when the event was enqueued.
    const parent = contextFromHeaders(row.headers, context.active());
    const span = tracer.startSpan(
      `${row.type} publish`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'rabbitmq',
          'messaging.destination.name': this.broker.names.events,
          'messaging.message.id': row.id,
        },
      },
      parent,
    );
    const headers = traceHeaders(trace.setSpan(parent, span));
    const message = this.broker.eventMessage(envelope, headers);
    span.setAttribute('messaging.rabbitmq.destination.routing_key', message.routingKey);
    span.end();
    return message;
  }

  /** Deletes sent outbox rows and processed inbox ids past their retention, a bounded batch at a time. */
  private async purge(): Promise<void> {
    const outbox = this.opts.retentionMs ?? 24 * 3600 * 1000;
    const inbox = this.opts.inboxRetentionMs ?? 7 * 24 * 3600 * 1000;
    if (Date.now() - this.lastPurge < Math.min(outbox, inbox, 60_000)) return;
    this.lastPurge = Date.now();
    await this.purgeTable(
      `DELETE FROM ${this.table} WHERE id IN (
         SELECT id FROM ${this.table} WHERE sent_at < now() - make_interval(secs => $1) LIMIT $2)`,
      outbox,
    );
    const deleted = await this.purgeTable(
      `DELETE FROM ${this.inbox} WHERE (consumer, event_id) IN (
         SELECT consumer, event_id FROM ${this.inbox} WHERE processed_at < now() - make_interval(secs => $1) LIMIT $2)`,
      inbox,
    );
    if (deleted > 0) this.logger.debug({ deleted }, 'processed inbox ids past retention purged');
  }

  private async purgeTable(statement: string, retentionMs: number): Promise<number> {
    const batch = this.opts.purgeBatchSize ?? 5000;
    let total = 0;
    for (let i = 0; i < PURGE_BATCHES_PER_SWEEP && this.running; i++) {
      const { rowCount } = await this.opts.pool.query(statement, [retentionMs / 1000, batch]);
      total += rowCount ?? 0;
      if ((rowCount ?? 0) < batch) break;
    }
    return total;
  }
}
