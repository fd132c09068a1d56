/** The handles queries run through: the database, or an open transaction of it. */
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';

export type Db = NodePgDatabase<Record<string, unknown>>;

/** What a flow writes through: the database or an open transaction (drizzle). */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0] | Db;
