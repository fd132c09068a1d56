/**
 * The assigned concierge's name and address, added to the events that concern them so
 * notification can write to them without asking booking back.
 */
import type { ConciergeContact } from '@midas/contracts';
import type { Tx } from '@midas/db';
import { findConcierge } from '../../db/concierges';

export async function conciergeContactOf(
  tx: Tx,
  conciergeId: string | null | undefined,
): Promise<ConciergeContact | undefined> {
  if (!conciergeId) return undefined;
  const row = await findConcierge(tx, conciergeId);
  return row ? { id: row.id, name: row.name, email: row.email } : undefined;
}
