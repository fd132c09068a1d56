/** SQL for item feed tokens, stored as SHA-256 hashes. */
import { sql, type Tx } from '@midas/db';
import { toBuffer } from './values';

export async function storeFeedToken(tx: Tx, itemId: string, hash: Buffer): Promise<void> {
  await tx.execute(
    sql`INSERT INTO calendar.feed_tokens (item_id, token_hash) VALUES (${itemId}, ${hash})
        ON CONFLICT (item_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = now()`,
  );
}

export async function readFeedTokenHash(tx: Tx, itemId: string): Promise<Buffer | undefined> {
  const res = await tx.execute(sql`SELECT token_hash FROM calendar.feed_tokens WHERE item_id = ${itemId}`);
  const hash = res.rows[0]?.token_hash;
  return hash === undefined || hash === null ? undefined : toBuffer(hash);
}
