/** What booking records from other services' events: holds created (conversion) and message deliveries (history). */
import type { Tx } from '@midas/db';
import { communications, holdsSeen } from './schema';

export async function recordHoldSeen(
  tx: Tx,
  hold: { holdId: string; itemId: string; createdAt: Date },
): Promise<void> {
  await tx.insert(holdsSeen).values(hold).onConflictDoNothing();
}

export async function recordCommunication(tx: Tx, row: typeof communications.$inferInsert): Promise<void> {
  await tx.insert(communications).values(row).onConflictDoNothing();
}
