/**
 * The ceiling the availability figures are compared with: a bare express app answering one
 * `SELECT 1` from the same PostgreSQL per request, in its own process like the services.
 *   BARE_PORT=... DATABASE_URL=... node --import tsx bench/availability/bare-server.ts
 */
import express from 'express';
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const app = express();
const select1: express.RequestHandler = async (_req, res) => {
  const { rows } = await pool.query('SELECT 1 AS one');
  res.json(rows[0]);
};
app.get('/select1', select1);
// The same answer on the availability path, so a gateway can be put in front of this app: the
// gateway's own cost, whatever the service behind it.
app.get('/v1/availability', select1);
const server = app.listen(Number(process.env.BARE_PORT ?? 0), '127.0.0.1');
process.on('SIGTERM', () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});
