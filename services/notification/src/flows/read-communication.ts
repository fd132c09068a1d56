/** One message of the communications record with every transport tried for it. */
import { NotFound } from '@midas/contracts';
import { findCommunication, listTries } from '../db/communications';
import type { NotificationContext } from './context';

export async function readCommunication(ctx: NotificationContext, id: string) {
  const row = await findCommunication(ctx.db, id);
  if (!row) throw new NotFound('Message');
  return { row, tries: await listTries(ctx.db, id) };
}
