/** SQL for the Google calendar linked to each item and its push channels. */
import { sql, type Tx } from '@midas/db';
import { firstRow } from './first-row';
import { toBuffer, toDateOrNull } from './values';

export interface LinkRow {
  itemId: string;
  calendarId: string;
  syncToken: string | null;
  /** The item type's calendar, shared with the other items of the type. */
  shared: boolean;
}

export async function saveLink(tx: Tx, itemId: string, calendarId: string, shared = false): Promise<void> {
  await tx.execute(
    sql`INSERT INTO calendar.links (item_id, calendar_id, shared) VALUES (${itemId}, ${calendarId}, ${shared})
        ON CONFLICT (item_id) DO UPDATE SET calendar_id = excluded.calendar_id, shared = excluded.shared,
          sync_token = CASE WHEN calendar.links.calendar_id = excluded.calendar_id THEN calendar.links.sync_token END,
          updated_at = now()`,
  );
}

/** A `calendar.links` row as read by hand-written SQL. */
function linkOf(r: Record<string, unknown>): LinkRow {
  return {
    itemId: r.item_id as string,
    calendarId: r.calendar_id as string,
    syncToken: (r.sync_token as string | null) ?? null,
    shared: r.shared === true,
  };
}

/** The item's link; `lock` holds it until the transaction ends (one read of a calendar at a time). */
export async function readLink(
  tx: Tx,
  itemId: string,
  opts: { lock?: boolean } = {},
): Promise<LinkRow | undefined> {
  return firstRow(
    tx,
    sql`SELECT item_id, calendar_id, sync_token, shared FROM calendar.links WHERE item_id = ${itemId}
        ${opts.lock ? sql`FOR UPDATE` : sql``}`,
    linkOf,
  );
}

/** Every linked item: what the scheduled read goes through. */
export async function listLinkedItems(tx: Tx): Promise<string[]> {
  const res = await tx.execute(sql`SELECT item_id FROM calendar.links ORDER BY item_id`);
  return res.rows.map((r) => r.item_id as string);
}

export async function countLinks(tx: Tx): Promise<number> {
  const res = await tx.execute(sql`SELECT count(*)::int AS n FROM calendar.links`);
  return Number(res.rows[0]?.n ?? 0);
}

export async function saveSyncToken(
  tx: Tx,
  itemId: string,
  calendarId: string,
  token: string | null,
): Promise<void> {
  await tx.execute(
    sql`UPDATE calendar.links SET sync_token = ${token}, updated_at = now()
        WHERE item_id = ${itemId} AND calendar_id = ${calendarId}`,
  );
}

export interface ChannelRow {
  id: string;
  itemId: string;
  calendarId: string;
  tokenHash: Buffer;
  resourceId: string | null;
  expiresAt: Date | null;
  stoppedAt: Date | null;
}

export async function saveChannel(tx: Tx, c: Omit<ChannelRow, 'stoppedAt'>): Promise<void> {
  await tx.execute(
    sql`UPDATE calendar.watch_channels SET stopped_at = now() WHERE item_id = ${c.itemId} AND stopped_at IS NULL`,
  );
  await tx.execute(
    sql`INSERT INTO calendar.watch_channels (id, item_id, calendar_id, token_hash, resource_id, expires_at)
        VALUES (${c.id}, ${c.itemId}, ${c.calendarId}, ${c.tokenHash}, ${c.resourceId}, ${c.expiresAt?.toISOString() ?? null})`,
  );
}

function channelOf(r: Record<string, unknown>): ChannelRow {
  return {
    id: r.id as string,
    itemId: r.item_id as string,
    calendarId: r.calendar_id as string,
    tokenHash: toBuffer(r.token_hash),
    resourceId: (r.resource_id as string | null) ?? null,
    expiresAt: toDateOrNull(r.expires_at),
    stoppedAt: toDateOrNull(r.stopped_at),
  };
}

export async function readChannel(tx: Tx, id: string): Promise<ChannelRow | undefined> {
  return firstRow(tx, sql`SELECT * FROM calendar.watch_channels WHERE id = ${id}`, channelOf);
}

export async function readActiveChannel(tx: Tx, itemId: string): Promise<ChannelRow | undefined> {
  return firstRow(
    tx,
    sql`SELECT * FROM calendar.watch_channels WHERE item_id = ${itemId} AND stopped_at IS NULL ORDER BY created_at DESC LIMIT 1`,
    channelOf,
  );
}

/** Active channels that lapse before `before`: the renewal job's work. */
export async function listExpiringChannels(tx: Tx, before: Date): Promise<ChannelRow[]> {
  const res = await tx.execute(
    sql`SELECT * FROM calendar.watch_channels WHERE stopped_at IS NULL AND expires_at IS NOT NULL AND expires_at < ${before.toISOString()}`,
  );
  return res.rows.map(channelOf);
}

export async function deleteLink(tx: Tx, itemId: string): Promise<LinkRow | undefined> {
  return firstRow(
    tx,
    sql`DELETE FROM calendar.links WHERE item_id = ${itemId} RETURNING item_id, calendar_id, sync_token, shared`,
    linkOf,
  );
}

/** Marks the item's channels stopped; returns the ones that were active. */
export async function stopChannels(tx: Tx, itemId: string): Promise<ChannelRow[]> {
  const res = await tx.execute(
    sql`UPDATE calendar.watch_channels SET stopped_at = now() WHERE item_id = ${itemId} AND stopped_at IS NULL RETURNING *`,
  );
  return res.rows.map(channelOf);
}
