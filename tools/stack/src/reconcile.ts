/**
 * `npm run reconcile [-- <section>...] [--since 72h]`: compares what the outside world recorded
 * with our own records, section by section, prints every difference, and changes nothing. With no
 * section every known one runs. Exit 0 when no section found a difference, 1 when one did, 2 when
 * the command was wrong or a section could not run (a provider or the database unreachable).
 *
 * A section is a name and a function from the configuration and the window to its report; a new
 * one is one more entry in SECTIONS. `payments` asks the providers; `bookings`, `availability`
 * and `calendar` read the services' schemas in one read-only transaction (consistency-sections.ts).
 */
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '@midas/config';
import { reconcilePaymentsSection } from '@midas/booking';
import { consistencySection } from './consistency-sections';

interface SectionReport {
  differences: string[];
  counts: Record<string, number>;
  summary: string;
}
type Section = (cfg: Config, opts: { since: Date }) => Promise<SectionReport>;

const SECTIONS: Record<string, { what: string; run: Section }> = {
  payments: {
    what: "each provider's recent payments and refunds (Stripe, PayPal) against the booking ledger",
    run: reconcilePaymentsSection,
  },
  bookings: {
    what: "each booking's state against availability's allocation for it and its payments ledger (paid, refunded, pending)",
    run: consistencySection('bookings'),
  },
  availability: {
    what: 'live allocations: no two of an item overlap, buffers included; every booked slot belongs to a booking that holds it',
    run: consistencySection('availability'),
  },
  calendar: {
    what: "bookings not yet over against calendar's entries (status, dates) and, for linked items, the events written to Google",
    run: consistencySection('calendar'),
  },
};

const USAGE = `usage: npm run reconcile [-- [${Object.keys(SECTIONS).join('|')}]... [--since <duration like 72h or 7d>]]
sections:
${Object.entries(SECTIONS)
  .map(([name, s]) => `  ${name}: ${s.what}`)
  .join('\n')}`;

function durationMs(value: string): number | undefined {
  const match = /^(\d+)([mhd])$/.exec(value.trim());
  if (!match || Number(match[1]) === 0) return undefined;
  return Number(match[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 'm' | 'h' | 'd'];
}

async function main(
  argv: string[],
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { since: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    err(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    out(USAGE);
    return 0;
  }
  const unknown = parsed.positionals.filter((name) => !(name in SECTIONS));
  if (unknown.length) {
    err(`unknown section ${unknown.map((n) => `"${n}"`).join(', ')}\n${USAGE}`);
    return 2;
  }
  let cfg: Config;
  try {
    cfg = loadConfig();
  } catch (e) {
    err(`reconcile: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
  const windowMs = parsed.values.since ? durationMs(parsed.values.since) : cfg.RECONCILE_WINDOW * 1000;
  if (windowMs === undefined) {
    err(`--since "${parsed.values.since}" is not a duration like 90m, 72h or 7d\n${USAGE}`);
    return 2;
  }
  const since = new Date(Date.now() - windowMs);
  const names = parsed.positionals.length ? [...new Set(parsed.positionals)] : Object.keys(SECTIONS);
  let code = 0;
  for (const name of names) {
    try {
      const report = await SECTIONS[name]!.run(cfg, { since });
      out(`${name}: ${report.summary}`);
      for (const line of report.differences) out(`${name}: ${line}`);
      const counted = Object.entries(report.counts)
        .filter(([, n]) => n > 0)
        .map(([kind, n]) => `${kind} ${n}`);
      out(
        `${name}: ${report.differences.length === 0 ? 'no differences' : `${report.differences.length} differences (${counted.join(', ')})`}`,
      );
      if (report.differences.length > 0) code = Math.max(code, 1);
    } catch (e) {
      err(`${name}: could not reconcile: ${e instanceof Error ? e.message : String(e)}`);
      code = 2;
    }
  }
  return code;
}

main(
  process.argv.slice(2),
  (line) => process.stdout.write(`${line}\n`),
  (line) => process.stderr.write(`${line}\n`),
).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`reconcile failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  },
);
