/**
 * The seeded fault injector. Its whole schedule is drawn from the seed before the run starts:
 * a SIGKILL of a random service process every 10-20 s (restarted by the supervisor), RabbitMQ
 * connections closed twice and its app stopped and started once, Redis flushed and restarted
 * once (every job lost), PostgreSQL restarted once, and spells in which the Stripe server answers
 * 500 or loses its answers and the SMTP server refuses recipients (4xx) or is down.
 */
import type { FakeStripe } from '../../services/booking/test/support/fake-stripe';
import type { Infra } from './infra';
import type { Rng } from './rng';
import type { Stack } from './stack';

export type FaultKind =
  | 'process kill'
  | 'rabbitmq connections closed'
  | 'rabbitmq restart'
  | 'redis flush + restart'
  | 'postgresql restart'
  | 'stripe outage spell'
  | 'stripe lost answers spell'
  | 'smtp refusal spell'
  | 'smtp down spell';

export interface PlannedFault {
  atMs: number;
  kind: FaultKind;
  /** Spell length, or how long RabbitMQ stays stopped. */
  forMs?: number;
}

export function planFaults(rng: Rng, durationMs: number): PlannedFault[] {
  const plan: PlannedFault[] = [];
  for (let t = rng.int(8_000, 12_000); t < durationMs; t += rng.int(10_000, 20_000))
    plan.push({ atMs: t, kind: 'process kill' });
  const at = (from: number, to: number) => Math.floor(durationMs * (from + rng.next() * (to - from)));
  plan.push({ atMs: at(0.1, 0.2), kind: 'rabbitmq connections closed' });
  plan.push({ atMs: at(0.25, 0.35), kind: 'rabbitmq restart', forMs: rng.int(2_000, 5_000) });
  plan.push({ atMs: at(0.4, 0.5), kind: 'redis flush + restart' });
  plan.push({ atMs: at(0.55, 0.65), kind: 'postgresql restart' });
  plan.push({ atMs: at(0.7, 0.8), kind: 'rabbitmq connections closed' });
  plan.push({ atMs: at(0.05, 0.45), kind: 'stripe outage spell', forMs: rng.int(3_000, 8_000) });
  plan.push({ atMs: at(0.5, 0.85), kind: 'stripe lost answers spell', forMs: rng.int(3_000, 8_000) });
  plan.push({ atMs: at(0.05, 0.45), kind: 'smtp refusal spell', forMs: rng.int(3_000, 10_000) });
  plan.push({ atMs: at(0.5, 0.85), kind: 'smtp down spell', forMs: rng.int(3_000, 10_000) });
  return plan.sort((a, b) => a.atMs - b.atMs);
}

export interface Smtp {
  refuse: (code: number | undefined) => void;
  down: () => Promise<void>;
  up: () => Promise<void>;
}

export class FaultInjector {
  readonly injected = new Map<FaultKind, number>();
  readonly failures: string[] = [];
  private readonly pending: Promise<void>[] = [];
  private timers: NodeJS.Timeout[] = [];
  /** RabbitMQ faults one after another: rabbitmqctl takes seconds, and a stopped app refuses the rest. */
  private brokerChain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly plan: PlannedFault[],
    private readonly rng: Rng,
    private readonly deps: { infra: Infra; stack: Stack; stripe: FakeStripe; smtp: Smtp },
    private readonly say: (line: string) => void,
  ) {}

  start(): void {
    const t0 = Date.now();
    for (const fault of this.plan) {
      this.timers.push(
        setTimeout(
          () => {
            const broker = fault.kind.startsWith('rabbitmq');
            const attempt = broker
              ? (this.brokerChain = this.brokerChain.catch(() => undefined).then(() => this.inject(fault)))
              : this.inject(fault);
            const done = (attempt as Promise<void>).then(
              () => void this.injected.set(fault.kind, (this.injected.get(fault.kind) ?? 0) + 1),
              (err: unknown) =>
                void this.failures.push(`${fault.kind}: ${err instanceof Error ? err.message : String(err)}`),
            );
            this.pending.push(done);
          },
          Math.max(0, fault.atMs - (Date.now() - t0)),
        ),
      );
    }
  }

  /** Cancels what has not started and waits for what has (every spell ends, every broker is back). */
  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    await Promise.all(this.pending);
  }

  private async inject(f: PlannedFault): Promise<void> {
    const { infra, stack, stripe, smtp } = this.deps;
    const spell = async (on: () => void | Promise<void>, off: () => void | Promise<void>) => {
      await on();
      await new Promise((r) => setTimeout(r, f.forMs ?? 5_000));
      await off();
    };
    switch (f.kind) {
      case 'process kill': {
        const p = this.rng.pick(stack.procs.filter((x) => x.child && x.child.exitCode === null));
        if (!p) throw new Error('no live process to kill');
        this.say(`kill -9 ${p.label}`);
        stack.kill(p);
        return;
      }
      case 'rabbitmq connections closed':
        this.say('rabbitmqctl close_all_connections');
        return infra.rabbit.closeAllConnections();
      case 'rabbitmq restart':
        this.say(`rabbitmqctl stop_app, ${f.forMs} ms, start_app`);
        return infra.rabbit.restartApp(f.forMs ?? 3_000);
      case 'redis flush + restart':
        this.say('redis FLUSHALL and restart');
        return infra.redis.flushAndRestart();
      case 'postgresql restart':
        this.say('pg_ctl restart');
        return infra.pg.restart();
      case 'stripe outage spell':
        this.say(`Stripe answers 500 for ${f.forMs} ms`);
        return spell(
          () => void (stripe.outage = /./),
          () => void (stripe.outage = undefined),
        );
      case 'stripe lost answers spell':
        this.say(`Stripe loses its answers for ${f.forMs} ms`);
        return spell(
          () => void (stripe.dropResponses = /./),
          () => void (stripe.dropResponses = undefined),
        );
      case 'smtp refusal spell':
        this.say(`SMTP refuses recipients (451) for ${f.forMs} ms`);
        return spell(
          () => smtp.refuse(451),
          () => smtp.refuse(undefined),
        );
      case 'smtp down spell':
        this.say(`SMTP down for ${f.forMs} ms`);
        return spell(smtp.down, smtp.up);
    }
  }
}
