/**
 * A consumer's inbox: records deliveries by event id and handles the new ones, all in one
 * transaction. In a batch of several, each handler runs in a savepoint of its own, so one that
 * fails undoes only its own work and its inbox row, and the others still commit together.
 */
import { context, type Context } from '@opentelemetry/api';
import { sql, type Db, type Tx } from '@midas/db';
import type { Envelope } from './envelope';

/** What a handler receives: the payload checked against its schema, in its envelope. */
export interface Delivery {
  handle: (data: unknown, tx: Tx, envelope: Envelope) => Promise<unknown> | unknown;
  envelope: Envelope;
  /** The message's trace context, which the handler's own spans belong to. */
  trace: Context;
  /** What the handler returned, once it ran (valid only when the transaction committed). */
  result?: unknown;
}

export type Recorded = 'handled' | 'duplicate';

export class Inbox {
  private readonly table;

  constructor(
    private readonly db: Db,
    schema: string,
    private readonly consumer: string,
  ) {
    this.table = sql`${sql.identifier(schema)}.inbox`;
  }

  /**
   * One result per delivery, in order, valid only once the transaction committed: if it fails
   * as a whole (or a lone delivery's handler throws), every delivery fails with its error.
   */
  async record(deliveries: Delivery[]): Promise<PromiseSettledResult<Recorded>[]> {
    return this.db.transaction(async (tx) => {
      const fresh = await this.insert(tx, deliveries);
      const results: PromiseSettledResult<Recorded>[] = [];
      const failed: string[] = [];
      for (const delivery of deliveries) {
        const id = delivery.envelope.id.toLowerCase();
        // A second delivery of the same event in this batch is a duplicate too.
        if (!fresh.delete(id)) {
          results.push({ status: 'fulfilled', value: 'duplicate' });
        } else if (deliveries.length === 1) {
          await run(delivery, tx);
          results.push({ status: 'fulfilled', value: 'handled' });
        } else {
          try {
            await tx.transaction((savepoint) => run(delivery, savepoint));
            results.push({ status: 'fulfilled', value: 'handled' });
          } catch (err) {
            results.push({ status: 'rejected', reason: err });
            failed.push(id);
          }
        }
      }
      // Its next delivery must find it new again.
      if (failed.length > 0) await this.remove(tx, failed);
      return results;
    });
  }

  /** Records every event id not recorded yet, in one statement; returns those it recorded. */
  private async insert(tx: Tx, deliveries: Delivery[]): Promise<Set<string>> {
    const rows = new Map(deliveries.map(({ envelope }) => [envelope.id.toLowerCase(), envelope.type]));
    // In id order, so two transactions recording overlapping ids wait for each other instead of deadlocking.
    const values = [...rows.keys()].sort().map((id) => sql`(${this.consumer}, ${id}, ${rows.get(id)})`);
    const recorded = await tx.execute<{ event_id: string }>(
      sql`INSERT INTO ${this.table} (consumer, event_id, type) VALUES ${sql.join(values, sql`, `)}
          ON CONFLICT DO NOTHING RETURNING event_id`,
    );
    return new Set(recorded.rows.map((row) => row.event_id));
  }

  private async remove(tx: Tx, ids: string[]): Promise<void> {
    await tx.execute(
      sql`DELETE FROM ${this.table} WHERE consumer = ${this.consumer}
          AND event_id IN (${sql.join(
            ids.map((id) => sql`${id}`),
            sql`, `,
          )})`,
    );
  }
}

function run(delivery: Delivery, tx: Tx): Promise<void> {
  return context.with(delivery.trace, async () => {
    delivery.result = await delivery.handle(delivery.envelope.data, tx, delivery.envelope);
  });
}
