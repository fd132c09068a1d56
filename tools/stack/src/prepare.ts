/** Creates the database if missing, applies every service's migrations, and seeds demo data into empty services. */
import type { Config } from '@midas/config';
import { ensureDatabase } from '@midas/db';
import { migrateService, seedService } from '@midas/runtime';
import { serviceDefinitions } from './services';

export async function prepareDatabase(cfg: Config, log: (line: string) => void, seed = true): Promise<void> {
  if (await ensureDatabase(cfg.DATABASE_URL))
    log(`created database ${new URL(cfg.DATABASE_URL).pathname.slice(1)}`);
  for (const def of serviceDefinitions) await migrateService(def, cfg);
  log('migrations applied');
  if (!seed) return;
  for (const def of serviceDefinitions) {
    const seeded = await seedService(def, cfg);
    if (seeded) log(`seeded demo data for ${def.name}`);
  }
}
