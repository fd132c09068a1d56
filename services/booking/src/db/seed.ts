/** Demo concierges for the demo inventory's locations, so a fresh `npm start` assigns confirmed bookings. */
import type { Pool } from '@midas/db';

const DEMO_CONCIERGES: [id: string, name: string, location: string, capacity: number][] = [
  ['concierge-monaco-1', 'Camille Laurent', 'Monaco', 8],
  ['concierge-monaco-2', 'Luca Moretti', 'Monaco', 8],
  ['concierge-dubai-1', 'Aisha Al Mansoori', 'Dubai', 8],
  ['concierge-aspen-1', 'Jack Harlow', 'Aspen', 6],
];

export async function seedDemoConcierges(pool: Pool): Promise<boolean> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Serialises two seeders racing on an empty table.
    await client.query('LOCK TABLE booking.concierges IN EXCLUSIVE MODE');
    const existing = await client.query('SELECT 1 FROM booking.concierges LIMIT 1');
    if (existing.rowCount) {
      await client.query('ROLLBACK');
      return false;
    }
    for (const [id, name, location, capacity] of DEMO_CONCIERGES) {
      await client.query(
        'INSERT INTO booking.concierges (id, name, email, location, capacity) VALUES ($1, $2, $3, $4, $5)',
        [id, name, `${id}@concierge.midas.example`, location, capacity],
      );
    }
    await client.query('COMMIT');
    return true;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
