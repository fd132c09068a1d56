/**
 * Readiness of the gateway. `/readyz` aggregates: 200 only when every service says it is ready,
 * 503 naming the unready ones otherwise (what clients and operators ask). `/readyz/self` is what the
 * orchestrator's probe asks: the gateway itself and its Redis, so one service's blip does not take
 * every gateway pod out of the load balancer (the routes of the other services keep working).
 * The public answers say ready or not and which services are not; why (dependency names, error
 * text) is for the internal listener and admins. Concurrent and back-to-back calls share one round
 * of checks, so a flood of /readyz cannot multiply into pings of every dependency of every service.
 */
import type { RequestHandler } from 'express';
import { SERVICES, serviceUrl, type Config } from '@midas/config';
import { isAdmin, type Authenticator } from '@midas/http';

export async function checkServices(cfg: Config, timeoutMs = 2000): Promise<Record<string, string>> {
  const entries = await Promise.all(
    SERVICES.map(async (name) => {
      try {
        const res = await fetch(`${serviceUrl(cfg, name)}/readyz`, {
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (res.ok) return [name, 'ok'] as const;
        const body = (await res.json().catch(() => ({}))) as { checks?: Record<string, string> };
        const failing = Object.entries(body.checks ?? {})
          .filter(([, v]) => v !== 'ok')
          .map(([k, v]) => `${k}: ${v}`);
        return [name, failing.length ? failing.join('; ') : `status ${res.status}`] as const;
      } catch (err) {
        return [name, err instanceof Error ? `unreachable (${err.message})` : 'unreachable'] as const;
      }
    }),
  );
  return Object.fromEntries(entries);
}

interface Verdict {
  status: 'ready' | 'unready' | 'shutting_down';
  unready: string[];
  services: Record<string, string>;
}

/** One round of checks at a time, its verdict reused for `reuseMs` after it ends. */
export function readinessProbe(
  cfg: Config,
  ownChecks: () => Promise<void>,
  shuttingDown: () => boolean,
  reuseMs = 1000,
): () => Promise<Verdict> {
  let last: { at: number; verdict: Verdict } | undefined;
  let running: Promise<Verdict> | undefined;
  const round = async (): Promise<Verdict> => {
    const services = await checkServices(cfg);
    const own = await ownChecks().then(
      () => 'ok',
      (err: unknown) => (err instanceof Error ? err.message : String(err)),
    );
    const all = { gateway: own, ...services };
    const unready = Object.entries(all)
      .filter(([, v]) => v !== 'ok')
      .map(([k]) => k);
    return { status: unready.length ? 'unready' : 'ready', unready, services: all };
  };
  return async () => {
    if (shuttingDown()) return { status: 'shutting_down', unready: ['gateway'], services: {} };
    if (last && Date.now() - last.at < reuseMs) return last.verdict;
    running ??= round().finally(() => (running = undefined));
    const verdict = await running;
    last = { at: Date.now(), verdict };
    return verdict;
  };
}

/** Internal listener: the whole verdict. */
export function detailedReadiness(probe: () => Promise<Verdict>): RequestHandler {
  return async (_req, res) => {
    const verdict = await probe();
    res.status(verdict.status === 'ready' ? 200 : 503).json(verdict);
  };
}

/** Public listener: ready or not and which services are not; admins get the detail too. */
export function publicReadiness(probe: () => Promise<Verdict>, auth: Authenticator): RequestHandler {
  return async (req, res) => {
    const verdict = await probe();
    const admin = req.headers.authorization
      ? await auth(req.headers.authorization).then(isAdmin, () => false)
      : false;
    const body = admin ? verdict : { status: verdict.status, unready: verdict.unready };
    res.status(verdict.status === 'ready' ? 200 : 503).json(body);
  };
}

export function selfReadiness(ownChecks: () => Promise<void>, shuttingDown: () => boolean): RequestHandler {
  return async (_req, res) => {
    if (shuttingDown()) {
      res.status(503).json({ status: 'shutting_down', checks: { gateway: 'shutting down' } });
      return;
    }
    // Public: no error text (addresses of internal hosts); the internal /readyz has the detail.
    const redis = await ownChecks().then(
      () => 'ok',
      () => 'unready',
    );
    res.status(redis === 'ok' ? 200 : 503).json({
      status: redis === 'ok' ? 'ready' : 'unready',
      checks: { redis },
    });
  };
}
