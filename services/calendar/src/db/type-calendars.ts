/** SQL for the shared calendar of each item type. */
import { sql, type Tx } from '@midas/db';

export async function readTypeCalendar(tx: Tx, itemType: string): Promise<string | undefined> {
  const res = await tx.execute(
    sql`SELECT calendar_id FROM calendar.type_calendars WHERE item_type = ${itemType}`,
  );
  return (res.rows[0]?.calendar_id as string | undefined) ?? undefined;
}

/** Records the type's calendar unless one is already recorded; returns the one that counts. */
export async function saveTypeCalendar(
  tx: Tx,
  itemType: string,
  calendarId: string,
  summary: string,
): Promise<string> {
  await tx.execute(
    sql`INSERT INTO calendar.type_calendars (item_type, calendar_id, summary)
        VALUES (${itemType}, ${calendarId}, ${summary}) ON CONFLICT (item_type) DO NOTHING`,
  );
  return (await readTypeCalendar(tx, itemType))!;
}
