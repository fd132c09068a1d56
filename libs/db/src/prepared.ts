/**
 * Parameterised statements become named (prepared) statements, once per connection: PostgreSQL
 * parses a statement the first time a connection sends it and, from then on, only binds and runs
 * it, and after a few runs plans it once. drizzle sends unnamed statements, so every query of the
 * hot paths was parsed and planned again each time.
 *
 * The name is a hash of the text, so one name always means one statement. Left unnamed:
 * statements without parameters (BEGIN, COMMIT, SAVEPOINT and the like use the simple protocol),
 * any text with `*` (a prepared `SELECT *` or `RETURNING *` fails with "cached plan must not
 * change result type" once a migration adds a column under a running process; explicit column
 * lists are re-planned by PostgreSQL instead), and new texts once a connection holds
 * `MAX_PER_CONNECTION` of them (statements whose text varies with their input, such as
 * multi-row inserts, would otherwise pile up on a long-lived connection).
 */
import { createHash } from 'node:crypto';
import type { Pool, PoolClient, QueryConfig } from 'pg';

export const MAX_PER_CONNECTION = 300;

const names = new Map<string, string>();

function nameOf(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `m_${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
    // The texts a process sends are a bounded set of shapes; this only stops a runaway.
    if (names.size < 10_000) names.set(text, name);
  }
  return name;
}

function preparable(config: QueryConfig, values: unknown): boolean {
  const params = values ?? config.values;
  return (
    config.name === undefined &&
    typeof config.text === 'string' &&
    Array.isArray(params) &&
    params.length > 0 &&
    !config.text.includes('*')
  );
}

/** Names the parameterised statements this client sends (see above). */
function prepareOn(client: PoolClient): void {
  const original = client.query as (...args: unknown[]) => unknown;
  const prepared = new Set<string>();
  client.query = function (this: PoolClient, ...args: unknown[]) {
    const [first, second] = args;
    if (first && typeof first === 'object' && !('submit' in first)) {
      const config = first as QueryConfig;
      if (preparable(config, second)) {
        const name = nameOf(config.text);
        if (prepared.has(name) || prepared.size < MAX_PER_CONNECTION) {
          prepared.add(name);
          args[0] = { ...config, name };
        }
      }
    } else if (typeof first === 'string' && Array.isArray(second) && second.length > 0) {
      if (!first.includes('*')) {
        const name = nameOf(first);
        if (prepared.has(name) || prepared.size < MAX_PER_CONNECTION) {
          prepared.add(name);
          args[0] = { text: first, name };
        }
      }
    }
    return original.apply(this, args);
  } as PoolClient['query'];
}

export function prepareRepeatedQueries(pool: Pool): void {
  pool.on('connect', prepareOn);
}
