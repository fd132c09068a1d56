/**
 * Guest messages per second, each figure next to a baseline measured in the same run against the
 * same local SMTP server (smtp-server, in this process):
 *   - rendering a template (Handlebars, HTML + text) against JSON-encoding the same view;
 *   - nodemailer sends over a pooled transport against a fresh connection per message;
 *   - the whole pipeline (booking event on RabbitMQ -> inbox -> record -> BullMQ job -> SMTP ->
 *     record + outbox) against the bare pooled sends;
 *   - the same pipeline with a dead primary relay, against the pipeline with a live one.
 *
 *   npm run build && node --import tsx bench/notification/delivery-throughput.ts   (BENCH_MESSAGES=400 by default)
 */
import nodemailer from 'nodemailer';
import { buildView } from '../../services/notification/src/domain/message-view';
import { renderMessage } from '../../services/notification/src/domain/renderer';
import { parseSmtpUrls } from '../../services/notification/src/domain/smtp-endpoints';
import { Mailer } from '../../services/notification/src/mail/mailer';
import { bookingSummary, startHarness } from '../../services/notification/test/support/harness';
import {
  deadSmtpUrl,
  startSmtpSink,
  type SmtpSink,
} from '../../services/notification/test/support/smtp-sink';

const MESSAGES = Math.min(5000, Math.max(50, Number(process.env.BENCH_MESSAGES ?? 400)));
const RENDERS = 5000;

const rate = (count: number, ms: number) => (count * 1000) / ms;
const fmt = (n: number) => n.toFixed(n >= 100 ? 0 : 1);

async function waitForMail(sink: SmtpSink, count: number, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (sink.received.length < count) {
    if (Date.now() > deadline) throw new Error(`only ${sink.received.length} of ${count} messages arrived`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function renderFigures() {
  const views = Array.from({ length: 50 }, () => buildView(bookingSummary(), { offset: '1h' }));
  let started = performance.now();
  let bytes = 0;
  for (let i = 0; i < RENDERS; i++) bytes += JSON.stringify(views[i % views.length]).length;
  const baseline = rate(RENDERS, performance.now() - started);
  started = performance.now();
  for (let i = 0; i < RENDERS; i++)
    bytes += renderMessage('booking_confirmed', views[i % views.length]!).html.length;
  const rendered = rate(RENDERS, performance.now() - started);
  return { rendered, baseline, bytes };
}

async function sendFigures(sink: SmtpSink) {
  const mail = (i: number) => ({
    from: 'bench@midas.test',
    to: `guest${i}@example.com`,
    subject: `Bench ${i}`,
    text: 'Hello',
    html: '<p>Hello</p>',
    messageId: `<bench-${i}@midas.test>`,
  });
  // Baseline: one connection per message, what a transport without pooling pays.
  const single = nodemailer.createTransport({ url: sink.url });
  let started = performance.now();
  for (let i = 0; i < MESSAGES; i += 8) {
    await Promise.all(
      Array.from({ length: Math.min(8, MESSAGES - i) }, (_, k) => single.sendMail(mail(i + k))),
    );
  }
  const unpooled = rate(MESSAGES, performance.now() - started);
  single.close();

  const mailer = new Mailer(parseSmtpUrls(sink.url), { from: 'bench@midas.test' });
  started = performance.now();
  for (let i = 0; i < MESSAGES; i += 8) {
    await Promise.all(Array.from({ length: Math.min(8, MESSAGES - i) }, (_, k) => mailer.send(mail(i + k))));
  }
  const pooled = rate(MESSAGES, performance.now() - started);
  mailer.close();
  return { unpooled, pooled };
}

async function pipelineFigure(smtpUrl: string, sink: SmtpSink): Promise<number> {
  const h = await startHarness({ SMTP_URL: smtpUrl, LOG_LEVEL: 'silent' });
  try {
    const before = sink.received.length;
    const started = performance.now();
    for (let i = 0; i < MESSAGES; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, MESSAGES - i) }, () =>
          h.publish('booking.reminder_due', {
            ...bookingSummary(),
            offset: '1h',
            dueAt: new Date().toISOString(),
          }),
        ),
      );
    }
    await waitForMail(sink, before + MESSAGES);
    return rate(MESSAGES, performance.now() - started);
  } finally {
    await h.close();
  }
}

async function main(): Promise<void> {
  const sink = await startSmtpSink();
  try {
    const render = renderFigures();
    console.log(
      `render booking_confirmed: ${fmt(render.rendered)}/s; JSON of the same view ${fmt(render.baseline)}/s; ratio ${(render.rendered / render.baseline).toFixed(3)}`,
    );
    const sends = await sendFigures(sink);
    console.log(
      `SMTP sends (${MESSAGES}, 8 at a time): pooled ${fmt(sends.pooled)}/s; a connection per message ${fmt(sends.unpooled)}/s; ratio ${(sends.pooled / sends.unpooled).toFixed(2)}`,
    );
    const pipeline = await pipelineFigure(sink.url, sink);
    console.log(
      `pipeline event -> email (${MESSAGES}): ${fmt(pipeline)}/s; ratio to bare pooled sends ${(pipeline / sends.pooled).toFixed(3)}`,
    );
    const failover = await pipelineFigure(`${await deadSmtpUrl()},${sink.url}`, sink);
    console.log(
      `pipeline with a dead primary relay: ${fmt(failover)}/s; ratio to the live-primary pipeline ${(failover / pipeline).toFixed(3)}`,
    );
  } finally {
    await sink.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
