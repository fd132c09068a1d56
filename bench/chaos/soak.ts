/**
 * One chaos soak: private PostgreSQL, Redis and RabbitMQ; the stack with two booking and two
 * availability processes; local Stripe, SMTP and Google Calendar servers; the seeded workload
 * and fault injector for the duration; then quiescence and the invariants. Everything it started
 * is stopped and removed at the end, also on failure or Ctrl-C.
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { parseConfig } from '@midas/config';
import {
  FakeStripe,
  TEST_SECRET_KEY,
  TEST_WEBHOOK_SECRET,
} from '../../services/booking/test/support/fake-stripe';
import { GoogleFake } from '../../services/calendar/test/support/google-fake';
import { startSmtpSink, type SmtpSink } from '../../services/notification/test/support/smtp-sink';
import { prepareDatabase } from '../../tools/stack/src/prepare';
import { FaultInjector, planFaults, type FaultKind } from './faults';
import { startInfra, type Infra } from './infra';
import { checkInvariants, type Invariant } from './invariants';
import { Rng } from './rng';
import { startStack, type Stack } from './stack';
import { Workload, type Counts } from './workload';

export interface SoakOptions {
  durationS: number;
  seed: number;
  say?: (line: string) => void;
}

export interface SoakResult {
  seed: number;
  durationS: number;
  faults: Map<FaultKind, number>;
  faultFailures: string[];
  ops: Map<string, Counts>;
  invariants: Invariant[];
  logFile: string;
  /** What is worth knowing and is no violation (answers to webhooks, messages awaiting their repair). */
  notes: string[];
  ok: boolean;
}

const REMINDERS = [
  { label: '10m', seconds: 600 },
  { label: '3m', seconds: 180 },
];
const NO_SHOW_GRACE_MINUTES = 1;
const SLACK_MS = 120_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resources to release, newest first; also run on SIGINT/SIGTERM. */
class Cleanup {
  private readonly steps: (() => Promise<unknown>)[] = [];
  add(step: () => Promise<unknown>): void {
    this.steps.push(step);
  }
  async run(): Promise<void> {
    while (this.steps.length) await this.steps.pop()!().catch(() => undefined);
  }
}

async function quiesce(
  pool: Pool,
  infra: Infra,
  workload: Workload,
  say: (l: string) => void,
): Promise<void> {
  const deadline = Date.now() + 240_000;
  let quiet = 0;
  while (Date.now() < deadline) {
    const schemas = (
      await pool.query(`SELECT table_schema FROM information_schema.tables WHERE table_name = 'outbox'`)
    ).rows.map((r) => r.table_schema as string);
    let unsent = 0;
    for (const s of schemas)
      unsent += (await pool.query(`SELECT count(*)::int AS n FROM "${s}".outbox WHERE sent_at IS NULL`))
        .rows[0].n as number;
    const queued = (
      await infra.rabbit.ctl('list_queues', '-q', '--no-table-headers', 'name', 'messages').catch(() => '')
    )
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter((p) => p.length === 2 && !p[0]!.endsWith('.dlq'))
      .reduce((n, p) => n + Number(p[1]), 0);
    const webhooks = workload.pendingDeliveries();
    // A refund asked for while the database or a process went away is settled by the refund repair sweep.
    const refunds = (
      await pool.query(
        `SELECT count(*)::int AS n FROM booking.payments WHERE kind = 'refund' AND status = 'pending'`,
      )
    ).rows[0].n as number;
    if (unsent === 0 && queued === 0 && webhooks === 0 && refunds === 0) {
      if (++quiet >= 2) return;
    } else {
      quiet = 0;
      say(
        `quiescing: ${unsent} unpublished, ${queued} queued, ${webhooks} webhooks to deliver, ${refunds} refunds open`,
      );
    }
    await sleep(3_000);
  }
  say('still busy after 240 s of quiescence; checking anyway');
}

export async function runSoak(opts: SoakOptions): Promise<SoakResult> {
  const say = opts.say ?? ((line: string) => process.stdout.write(`[chaos] ${line}\n`));
  const rng = new Rng(opts.seed);
  const faultRng = new Rng(opts.seed ^ 0x5bd1e995);
  const durationMs = opts.durationS * 1000;
  const logFile = path.join(tmpdir(), `midas-chaos-${opts.seed}-${process.pid}.log`);
  const cleanup = new Cleanup();
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) return;
    interrupted = true;
    say('interrupted: stopping everything');
    void cleanup.run().then(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    say(
      `seed ${opts.seed} (replay: npm run chaos -- --seed ${opts.seed} --duration ${opts.durationS}); service logs in ${logFile}`,
    );
    const infra = await startInfra(say);
    cleanup.add(() => infra.stop());
    const stripe = await new FakeStripe().start();
    cleanup.add(() => stripe.stop());
    let smtp: SmtpSink = await startSmtpSink();
    const smtpPort = smtp.port;
    // Every sink the soak ran (the SMTP server is stopped and started again in a spell).
    const sinks: SmtpSink[] = [smtp];
    cleanup.add(() => smtp.close());
    const google = new GoogleFake();
    await google.start();
    cleanup.add(() => google.close());

    const jwtSecret = randomBytes(48).toString('base64');
    const env: Record<string, string> = {
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      DATABASE_URL: infra.databaseUrl(),
      REDIS_URL: infra.redisUrl,
      AMQP_URL: infra.amqpUrl,
      MIDAS_NAMESPACE: '',
      JWT_SECRET: jwtSecret,
      STRIPE_SECRET_KEY: TEST_SECRET_KEY,
      STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      STRIPE_API_BASE: stripe.url,
      SMTP_URL: smtp.url,
      ...google.env,
      HOLD_TTL_SECONDS: '60',
      NO_SHOW_GRACE_MINUTES: String(NO_SHOW_GRACE_MINUTES),
      REMINDER_OFFSETS: REMINDERS.map((r) => r.label).join(','),
      RATE_LIMIT_GUEST_PER_MIN: '0',
      RATE_LIMIT_USER_PER_MIN: '0',
      RATE_LIMIT_HOLDS_PER_MIN: '0',
      MAX_ACTIVE_HOLDS_PER_HOLDER: '0',
      CALENDAR_POLL_SECONDS: '60',
      DB_POOL_MAX: '8',
    };
    await prepareDatabase(parseConfig(env), say, false);
    const stack: Stack = await startStack(env, logFile, say);
    cleanup.add(() => stack.stop());
    const started = Date.now();
    for (;;) {
      const ok = await fetch(`${stack.gateway}/readyz`, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (Date.now() - started > 300_000)
        throw new Error(`the stack did not get ready in 300 s (logs: ${logFile})`);
      await sleep(500);
    }
    say(`stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s at ${stack.gateway}`);
    const pool = new Pool({ connectionString: infra.databaseUrl(), max: 2 });
    pool.on('error', () => undefined);
    cleanup.add(() => pool.end());

    const workload = new Workload(stack.gateway, jwtSecret, stripe, rng, say);
    cleanup.add(() => workload.close());
    await workload.setup(8);
    say(`${workload.items.length} items, 3 concierges; running ${opts.durationS} s of load and faults`);

    let redisLostAt: Date | undefined;
    const smtpControl = {
      refuse: (code: number | undefined) => smtp.rejectRecipients(code),
      down: () => smtp.close(),
      up: async () => {
        smtp = await startSmtpSink({ port: smtpPort });
        sinks.push(smtp);
      },
    };
    const injector = new FaultInjector(
      planFaults(faultRng, durationMs),
      faultRng,
      { infra, stack, stripe, smtp: smtpControl },
      (l) => {
        if (l.startsWith('redis')) redisLostAt = new Date();
        say(l);
      },
    );
    injector.start();
    await workload.run(Date.now() + durationMs);
    await injector.stop();
    say('load and faults over; quiescing');
    // Every process up again before anything is judged.
    for (let i = 0; i < 60 && stack.procs.some((p) => !p.child); i++) await sleep(500);
    await quiesce(pool, infra, workload, say);
    await workload.close();

    const notes: string[] = [];
    const invariants = await checkInvariants({
      notes,
      pool,
      infra,
      env,
      mails: sinks.flatMap((k) => k.received),
      unexpectedExits: stack.unexpectedExits,
      redisLostAt,
      slackMs: SLACK_MS,
      reminderOffsets: REMINDERS,
      noShowGraceMinutes: NO_SHOW_GRACE_MINUTES,
    });
    return {
      seed: opts.seed,
      durationS: opts.durationS,
      faults: injector.injected,
      faultFailures: injector.failures,
      ops: workload.ops,
      invariants,
      logFile,
      notes: [
        `webhook answers: ${[...workload.webhookAnswers.entries()].map(([s, n]) => `${s || 'none'} x${n}`).join(', ')}`,
        `requests without an answer: ${[...workload.clientErrors.entries()].map(([k, n]) => `${k} x${n}`).join(', ') || 'none'}`,
        ...notes,
      ],
      ok: invariants.every((v) => v.violations.length === 0) && injector.failures.length === 0,
    };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (!interrupted) await cleanup.run();
  }
}

export function formatResult(r: SoakResult): string {
  const rows: string[] = [];
  const table = (title: string, head: string[], body: (string | number)[][]) => {
    const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => String(b[i]).length)));
    const line = (cells: (string | number)[]) =>
      `| ${cells.map((c, i) => (typeof c === 'number' ? String(c).padStart(widths[i]!) : String(c).padEnd(widths[i]!))).join(' | ')} |`;
    rows.push(
      '',
      title,
      line(head),
      `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
      ...body.map(line),
    );
  };
  table(
    `chaos soak: seed ${r.seed}, ${r.durationS} s`,
    ['fault injected', 'count'],
    [...r.faults.entries()].map(([k, n]) => [k, n]),
  );
  table(
    'operations',
    ['operation', 'attempted', 'completed'],
    [...r.ops.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, c]) => [k, c.attempted, c.completed]),
  );
  table(
    'invariants',
    ['invariant', 'violations'],
    r.invariants.map((v) => [v.name, v.violations.length]),
  );
  for (const v of r.invariants)
    for (const line of v.violations.slice(0, 15)) rows.push(`  ${v.name}: ${line}`);
  for (const f of r.faultFailures) rows.push(`  fault not injected: ${f}`);
  for (const n of r.notes) rows.push(`  note: ${n}`);
  rows.push('', r.ok ? 'all invariants hold' : `VIOLATIONS (service logs: ${r.logFile})`);
  return rows.join('\n');
}
