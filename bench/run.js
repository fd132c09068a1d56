// `npm run bench [-- name...]`: runs the benchmarks one after another (build first), each printing
// its figures beside a baseline measured in the same run.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const BENCHES = {
  messaging: 'bench/messaging/outbox-throughput.ts',
  availability: 'bench/availability/run.ts',
  pricing: 'bench/pricing/quote-latency.ts',
  booking: 'bench/booking/run.ts',
  notification: 'bench/notification/delivery-throughput.ts',
  reminders: 'bench/reminders/run.ts',
  payments: 'bench/payments/webhooks.ts',
  webhooks: 'bench/webhooks/run.ts',
};

const root = path.resolve(__dirname, '..');
const wanted = process.argv.slice(2);
const names = wanted.length ? wanted : Object.keys(BENCHES);
let failed = 0;
for (const name of names) {
  const file = BENCHES[name];
  if (!file) {
    console.error(`unknown benchmark "${name}"; known: ${Object.keys(BENCHES).join(', ')}`);
    process.exit(2);
  }
  console.log(`\n=== ${name} (${file})`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
