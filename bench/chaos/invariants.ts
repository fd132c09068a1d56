/**
 * The soak's final checks, once everything is quiet. Each returns its violations as lines; the
 * table prints their counts. `npm run reconcile` itself (every section: payments against the
 * local Stripe server, bookings, availability, calendar) is one of them.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import amqp from 'amqplib';
import Redis from 'ioredis';
import type { Pool } from 'pg';
import type { Infra } from './infra';
import type { UnexpectedExit } from './stack';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

export interface Invariant {
  name: string;
  violations: string[];
}

export interface CheckInputs {
  /** Lines worth printing that are no violation. */
  notes: string[];
  pool: Pool;
  infra: Infra;
  env: Record<string, string>;
  /** Every message the SMTP server accepted. */
  mails: { messageId?: string }[];
  unexpectedExits: UnexpectedExit[];
  /** When Redis lost everything (jobs of bookings confirmed before may be gone until their sweep). */
  redisLostAt?: Date;
  /** How late a moment may be acted on: the sweeps' period and some. */
  slackMs: number;
  reminderOffsets: { label: string; seconds: number }[];
  noShowGraceMinutes: number;
}

/** `npm run reconcile` as an operator runs it, against the soak's own database and Stripe server. */
async function reconcile(inputs: CheckInputs): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = { payments: [], bookings: [], availability: [], calendar: [] };
  const res = await run(
    process.execPath,
    [path.join(ROOT, 'tools/stack/dist/reconcile.js'), '--since', '2d'],
    {
      env: { ...process.env, ...inputs.env },
      maxBuffer: 64 * 1024 * 1024,
    },
  ).catch((err: { code?: number; stdout?: string; stderr?: string }) => {
    if (err.code === 1) return { stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
    throw new Error(`reconcile could not run (exit ${err.code}): ${err.stderr ?? ''}`);
  });
  for (const line of res.stdout.split('\n')) {
    const m = /^(\w+): (.*)$/.exec(line);
    if (!m || !(m[1]! in out)) continue;
    const rest = m[2]!;
    if (rest.startsWith('since ') || rest === 'no differences' || /^\d+ differences/.test(rest)) continue;
    out[m[1]!]!.push(rest);
  }
  return out;
}

async function jobsAndMoments(i: CheckInputs): Promise<{ jobs: string[]; moments: string[] }> {
  const jobs: string[] = [];
  const moments: string[] = [];
  const { rows } = await i.pool.query(
    `SELECT b.id, b.status, b.start_at, b.end_at, b.hold_expires_at, now() AS now,
            (SELECT min(h.at) FROM booking.status_history h WHERE h.booking_id = b.id AND h.to_status = 'confirmed') AS confirmed_at,
            (SELECT array_agg(r.label) FROM booking.reminders r WHERE r.booking_id = b.id) AS reminded
       FROM booking.bookings b`,
  );
  const redis = new Redis(i.env.REDIS_URL!, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  try {
    for (const b of rows) {
      const now = +new Date(b.now);
      const start = +new Date(b.start_at);
      const end = +new Date(b.end_at);
      const confirmedAt = b.confirmed_at ? +new Date(b.confirmed_at) : undefined;
      const waiting = ['confirmed', 'concierge_assigned', 'ready'].includes(b.status);
      const noShowAt = start + i.noShowGraceMinutes * 60_000;
      if (waiting && noShowAt + i.slackMs < now)
        moments.push(
          `booking ${b.id} still ${b.status} ${Math.round((now - noShowAt) / 1000)} s after its no-show moment`,
        );
      if (b.status === 'in_progress' && end + i.slackMs < now)
        moments.push(`booking ${b.id} still in_progress ${Math.round((now - end) / 1000)} s after its end`);
      if (
        b.status === 'pending_payment' &&
        b.hold_expires_at &&
        +new Date(b.hold_expires_at) + i.slackMs < now
      )
        moments.push(
          `booking ${b.id} still unpaid ${Math.round((now - +new Date(b.hold_expires_at)) / 1000)} s after its hold lapsed`,
        );
      // Reminders owed: moments after the dates were fixed, passed by more than the slack, before the start.
      if (
        confirmedAt &&
        ['confirmed', 'concierge_assigned', 'ready', 'in_progress', 'completed', 'no_show'].includes(b.status)
      ) {
        for (const o of i.reminderOffsets) {
          const due = start - o.seconds * 1000;
          if (due > confirmedAt + 5_000 && due + i.slackMs < now && !(b.reminded ?? []).includes(o.label))
            moments.push(
              `booking ${b.id}: reminder ${o.label} due ${new Date(due).toISOString()} never sent`,
            );
        }
      }
      // Future moments of a booking confirmed since Redis was last lost: their delayed jobs exist.
      if (
        waiting &&
        confirmedAt &&
        start > now + 60_000 &&
        (!i.redisLostAt || confirmedAt > +i.redisLostAt + 5_000)
      ) {
        for (const id of [`no-show.${b.id}`, `complete.${b.id}`])
          if (!(await redis.exists(`bull:lifecycle:${id}`)))
            jobs.push(`booking ${b.id}: no ${id} job on lifecycle`);
        for (const o of i.reminderOffsets) {
          const due = start - o.seconds * 1000;
          if (
            due > now + 30_000 &&
            due > confirmedAt + 5_000 &&
            !(await redis.exists(`bull:reminders:reminder.${b.id}.${o.label}`))
          )
            jobs.push(`booking ${b.id}: no reminder.${o.label} job`);
        }
      }
    }
  } finally {
    redis.disconnect();
  }
  return { jobs, moments };
}

async function emails(i: CheckInputs): Promise<{ once: string[]; cancelled: string[] }> {
  const once: string[] = [];
  const cancelled: string[] = [];
  const seen = new Map<string, number>();
  for (const mail of i.mails)
    if (mail.messageId) seen.set(mail.messageId, (seen.get(mail.messageId) ?? 0) + 1);
  for (const [id, n] of seen) if (n > 1) once.push(`message ${id} accepted ${n} times`);
  const dup = await i.pool.query(
    `SELECT c.booking_id, c.template, coalesce(o.data->>'offset', c.event_id::text) AS what, count(*)::int AS n
       FROM notification.communications c LEFT JOIN booking.outbox o ON o.id = c.event_id AND o.type = 'booking.reminder_due'
      WHERE c.status IN ('sent', 'logged')
      GROUP BY 1, 2, 3, c.recipient HAVING count(*) > 1`,
  );
  for (const r of dup.rows) once.push(`booking ${r.booking_id}: ${r.template} (${r.what}) sent ${r.n} times`);
  const reminders = await i.pool.query(
    `SELECT data->>'bookingId' AS booking_id, data->>'offset' AS label, count(*)::int AS n
       FROM booking.outbox WHERE type = 'booking.reminder_due' GROUP BY 1, 2 HAVING count(*) > 1`,
  );
  for (const r of reminders.rows)
    once.push(`booking ${r.booking_id}: reminder ${r.label} published ${r.n} times`);
  // A message whose delivery job Redis lost stays pending until notification's repair finds it
  // (pending for 10 min, checked every minute): only one older than that was lost.
  const unsent = await i.pool.query(
    `SELECT booking_id, template, status, error, updated_at < now() - interval '11 minutes' AS overdue
       FROM notification.communications WHERE status IN ('pending', 'failed')`,
  );
  for (const r of unsent.rows) {
    const line = `booking ${r.booking_id}: ${r.template} left ${r.status}${r.error ? ` (${r.error})` : ''}`;
    if (r.status === 'failed' || r.overdue) once.push(line);
    else i.notes.push(`awaiting notification's repair (within 11 min): ${line}`);
  }
  const late = await i.pool.query(
    `SELECT c.booking_id, c.template, c.created_at, h.at AS freed_at, h.to_status
       FROM notification.communications c
       JOIN booking.outbox o ON o.id = c.event_id AND o.type = 'booking.reminder_due'
       JOIN LATERAL (SELECT min(at) AS at, min(to_status) AS to_status FROM booking.status_history
                      WHERE booking_id = c.booking_id AND to_status IN ('cancelled', 'expired', 'no_show')) h ON h.at IS NOT NULL
      WHERE o.occurred_at > h.at AND c.status IN ('sent', 'logged')`,
  );
  for (const r of late.rows)
    cancelled.push(
      `booking ${r.booking_id}: ${r.template} sent at ${new Date(r.created_at).toISOString()} after it was ${r.to_status}`,
    );
  return { once, cancelled };
}

function topicMatches(pattern: string, key: string): boolean {
  const p = pattern.split('.');
  const k = key.split('.');
  const go = (i: number, j: number): boolean => {
    if (i === p.length) return j === k.length;
    if (p[i] === '#') return go(i + 1, j) || (j < k.length && go(i, j + 1));
    if (j === k.length) return false;
    return (p[i] === '*' || p[i] === k[j]) && go(i + 1, j + 1);
  };
  return go(0, 0);
}

async function messaging(
  i: CheckInputs,
): Promise<{ outbox: string[]; lost: string[]; deadLetters: string[] }> {
  const outbox: string[] = [];
  const lost: string[] = [];
  const deadLetters: string[] = [];
  const schemas = (
    await i.pool.query(
      `SELECT table_schema FROM information_schema.tables WHERE table_name = 'outbox' ORDER BY 1`,
    )
  ).rows.map((r) => r.table_schema as string);
  const events: { schema: string; id: string; type: string }[] = [];
  for (const s of schemas) {
    const unsent = await i.pool.query(`SELECT count(*)::int AS n FROM "${s}".outbox WHERE sent_at IS NULL`);
    if (unsent.rows[0].n > 0) outbox.push(`${s}: ${unsent.rows[0].n} events never published`);
    const all = await i.pool.query(`SELECT id, type FROM "${s}".outbox`);
    for (const r of all.rows) events.push({ schema: s, id: r.id, type: r.type });
  }
  // Dead letters: each must carry the reason the consumer gave; their event ids are accounted for.
  const dead = new Set<string>();
  const queues = (await i.infra.rabbit.ctl('list_queues', '-q', '--no-table-headers', 'name', 'messages'))
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((p) => p.length === 2 && p[0]!.endsWith('.dlq') && Number(p[1]) > 0);
  if (queues.length) {
    const conn = await amqp.connect(i.env.AMQP_URL!);
    const ch = await conn.createChannel();
    for (const [queue] of queues) {
      for (;;) {
        const msg = await ch.get(queue!, { noAck: false });
        if (!msg) break;
        const reason = msg.properties.headers?.['x-midas-dead-letter-reason'];
        let id = '?';
        try {
          id = (JSON.parse(msg.content.toString()) as { id?: string }).id ?? '?';
        } catch {
          // not an envelope
        }
        dead.add(id);
        if (!reason) deadLetters.push(`${queue}: event ${id} dead-lettered without a reason`);
      }
    }
    await ch.close().catch(() => undefined); // unacknowledged: they stay in their queues
    await conn.close().catch(() => undefined);
  }
  // Lost: an event published to a consumer's binding that its inbox never recorded nor dead-lettered.
  const bindings = (
    await i.infra.rabbit.ctl(
      'list_bindings',
      '-q',
      '--no-table-headers',
      'source_name',
      'destination_name',
      'routing_key',
    )
  )
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((p) => p.length === 3 && p[0] === 'midas.events' && !p[1]!.endsWith('.dlq'));
  const byQueue = new Map<string, string[]>();
  for (const [, queue, key] of bindings) byQueue.set(queue!, [...(byQueue.get(queue!) ?? []), key!]);
  // The webhooks consumer acks an event no active subscription wants without an inbox row; with
  // no active subscription (the soak creates none) every event it receives is rightly passed over.
  const activeSubscriptions = Number(
    (await i.pool.query('SELECT count(*) AS n FROM notification.webhook_subscriptions WHERE active')).rows[0]
      ?.n ?? 0,
  );
  for (const [queue, keys] of byQueue) {
    const [schema, ...rest] = queue.split('.');
    const consumer = rest.join('.');
    if (!schemas.includes(schema!)) continue;
    if (queue === 'notification.webhooks' && activeSubscriptions === 0) continue;
    const seen = new Set(
      (await i.pool.query(`SELECT event_id FROM "${schema}".inbox WHERE consumer = $1`, [consumer])).rows.map(
        (r) => r.event_id as string,
      ),
    );
    const missing = events.filter(
      (e) => keys.some((k) => topicMatches(k, e.type)) && !seen.has(e.id) && !dead.has(e.id),
    );
    for (const e of missing.slice(0, 20))
      lost.push(`${queue}: ${e.type} ${e.id} (from ${e.schema}) never processed`);
    if (missing.length > 20) lost.push(`${queue}: and ${missing.length - 20} more`);
  }
  return { outbox, lost, deadLetters };
}

export async function checkInvariants(i: CheckInputs): Promise<Invariant[]> {
  const rec = await reconcile(i);
  const overlaps = rec.availability!.filter((l) => l.startsWith('overlap:'));
  const { jobs, moments } = await jobsAndMoments(i);
  const mail = await emails(i);
  const msg = await messaging(i);
  return [
    { name: 'no two occupying allocations of an item overlap (buffers included)', violations: overlaps },
    {
      name: 'booking state agrees with availability and the ledger (reconcile bookings, availability)',
      violations: [...rec.bookings!, ...rec.availability!.filter((l) => !l.startsWith('overlap:'))],
    },
    { name: 'ledger agrees with the provider (reconcile payments)', violations: rec.payments! },
    { name: 'calendar agrees with bookings, Google written (reconcile calendar)', violations: rec.calendar! },
    { name: 'future bookings have their jobs (confirmed since the Redis loss)', violations: jobs },
    { name: 'due moments acted on (no-show, completion, expiry, reminders)', violations: moments },
    { name: 'each due email sent exactly once', violations: mail.once },
    { name: 'no reminder for a cancelled/expired/no-show booking', violations: mail.cancelled },
    { name: 'outboxes drained', violations: msg.outbox },
    { name: 'no message lost (every bound event in its inbox or a DLQ)', violations: msg.lost },
    { name: 'every dead letter explained', violations: msg.deadLetters },
    {
      name: 'no process exited except those killed',
      violations: i.unexpectedExits.map(
        (e) => `${e.label} exited (${e.signal ?? e.code}) at ${e.at.toISOString()}`,
      ),
    },
  ];
}
