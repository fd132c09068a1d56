/**
 * One delivery attempt of a recorded message: every SMTP transport in order (or the log when
 * there is none), each try recorded; on success the record is finished and `notification.sent`
 * published in the same transaction. A failed attempt is retried by the queue with backoff;
 * after the last one, or when every relay refused the message outright, the record is marked
 * failed, `notification.failed` published, and the job left in the dead letters.
 */
import { UnrecoverableError } from 'bullmq';
import type { Logger } from '@midas/observability';
import {
  findCommunication,
  markDelivered,
  markFailed,
  noteError,
  recordTries,
  startAttempt,
  type TransportTry,
} from '../db/communications';
import { NotCommittedYet } from '@midas/jobs';
import type { CommunicationRow } from '../db/schema';
import type { TransportFailure } from '../domain/failover';
import { publishOutcome } from '../events/publish/publish-outcome';
import type { FlowContext } from './context';

/** The record is not visible yet: the event's transaction has not committed. Retried by the queue. */
export class NotRecordedYet extends NotCommittedYet {
  constructor(communicationId: string) {
    super(`communication ${communicationId} is not recorded yet`);
  }
}

export interface AttemptInfo {
  /** True when the queue will not try again after this attempt. */
  last: boolean;
}

export type DeliveryOutcome = 'sent' | 'logged' | 'already_finished';

/** A Message-ID that names the message, so a resend after a crash is recognisable as the same one. */
export function messageIdFor(communicationId: string): string {
  return `<${communicationId}@notification.midas>`;
}

function summarise(failures: TransportFailure[]): string {
  return failures.map((f) => `${f.transport}: ${f.error}`).join('; ') || 'no transport configured';
}

async function finish(
  ctx: FlowContext,
  row: CommunicationRow,
  tries: TransportTry[],
  outcome: Parameters<typeof markDelivered>[2],
) {
  return ctx.db.transaction(async (tx) => {
    await recordTries(tx, row.id, row.attempts, tries);
    const done = await markDelivered(tx, row.id, outcome);
    if (done) await publishOutcome(tx, done);
    return done;
  });
}

/** How long a message the server accepted keeps trying to be recorded before its job fails. */
const RECORD_AFTER_SENDING_MS = 30_000;

/**
 * Records a message the mail server has accepted. A failure here (the database restarting) would
 * fail the job, and its retry would send the message a second time, so the record is tried again
 * for a while first; only a longer outage (or the process dying) leaves a second sending, which
 * carries the same Message-ID.
 */
async function recordAfterSending<T>(log: Logger, record: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + RECORD_AFTER_SENDING_MS;
  for (let wait = 250; ; wait = Math.min(wait * 2, 4_000)) {
    try {
      return await record();
    } catch (err) {
      if (Date.now() + wait > deadline) throw err;
      log.warn({ err: String(err), retryInMs: wait }, 'could not record a sent message; trying again');
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

export async function deliverMessage(
  ctx: FlowContext,
  communicationId: string,
  attempt: AttemptInfo,
): Promise<DeliveryOutcome> {
  const row = await startAttempt(ctx.db, communicationId);
  if (!row) {
    const existing = await findCommunication(ctx.db, communicationId);
    // Still pending here means its transaction committed just after our update looked: go again.
    if (!existing || existing.status === 'pending') throw new NotRecordedYet(communicationId);
    return 'already_finished';
  }
  const log = ctx.logger.child({
    communicationId,
    bookingId: row.bookingId,
    template: row.template,
    attempt: row.attempts,
  });
  log.debug({ channel: row.channel }, 'delivering message');

  if (row.channel === 'log' || !ctx.mailer) return logInstead(ctx, row, log);

  const result = await ctx.mailer.send({
    to: row.recipient,
    subject: row.subject,
    html: row.html,
    text: row.bodyText,
    messageId: messageIdFor(row.id),
  });
  for (const failure of result.failures) ctx.metrics.transportFailures.inc({ transport: failure.transport });
  const tries: TransportTry[] = result.failures.map((f) => ({
    transport: f.transport,
    outcome: 'failed',
    error: f.error,
  }));

  if (result.ok) {
    tries.push({
      transport: result.transport,
      outcome: 'accepted',
      providerMessageId: result.providerMessageId,
    });
    const done = await recordAfterSending(log, () =>
      finish(ctx, row, tries, {
        status: 'sent',
        channel: 'email',
        transport: result.transport,
        providerMessageId: result.providerMessageId,
      }),
    );
    if (done) ctx.metrics.messages.inc({ template: row.template, status: 'sent' });
    log.info(
      {
        transport: result.transport,
        providerMessageId: result.providerMessageId,
        failedOver: result.failures.length,
      },
      'message sent',
    );
    return 'sent';
  }

  return failAttempt(ctx, row, tries, { ...result, last: attempt.last }, log);
}

/** No SMTP transport (or a log-channel message): the message goes to the log and counts as delivered there. */
async function logInstead(ctx: FlowContext, row: CommunicationRow, log: Logger): Promise<'logged'> {
  log.info(
    { to: row.recipient, subject: row.subject, text: row.bodyText },
    'message logged: no SMTP transport configured',
  );
  const done = await finish(ctx, row, [{ transport: 'log', outcome: 'accepted' }], {
    status: 'logged',
    channel: 'log',
    transport: 'log',
    providerMessageId: null,
  });
  if (done) ctx.metrics.messages.inc({ template: row.template, status: 'logged' });
  return 'logged';
}

/**
 * Every transport failed this attempt: retried by the queue (the error noted), or, when refused
 * outright or on the last attempt, marked failed with `notification.failed` and dead-lettered.
 */
async function failAttempt(
  ctx: FlowContext,
  row: CommunicationRow,
  tries: TransportTry[],
  result: { failures: TransportFailure[]; permanent: boolean; last: boolean },
  log: Logger,
): Promise<never> {
  const error = summarise(result.failures);
  if (result.permanent || result.last) {
    const why = result.permanent
      ? `refused by every transport: ${error}`
      : `dead-lettered after ${row.attempts} attempts: ${error}`;
    await ctx.db.transaction(async (tx) => {
      await recordTries(tx, row.id, row.attempts, tries);
      const failed = await markFailed(tx, row.id, why.slice(0, 2000));
      if (failed) await publishOutcome(tx, failed);
    });
    ctx.metrics.messages.inc({ template: row.template, status: 'failed' });
    log.error({ err: error }, 'message failed; dead-lettered');
    throw new UnrecoverableError(why);
  }
  await ctx.db.transaction(async (tx) => {
    await recordTries(tx, row.id, row.attempts, tries);
    await noteError(tx, row.id, error.slice(0, 2000));
  });
  log.warn({ err: error }, 'delivery attempt failed; will retry');
  throw new Error(`delivery attempt ${row.attempts} failed: ${error}`);
}
