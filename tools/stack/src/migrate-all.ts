/** `npm run migrate`: the migrations Job of the Helm chart, also usable by hand. */
import { loadConfig } from '@midas/config';
import { prepareDatabase } from './prepare';

const cfg = loadConfig();
prepareDatabase(cfg, (line) => process.stdout.write(`${line}\n`), process.env.SEED_DEMO === 'true').then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`migration failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
