/**
 * Readiness of the gateway. `/readyz` aggregates: 200 only when every service says it is ready,
 * 503 naming the unready ones otherwise (what clients and operators ask). `/readyz/self` is what the
 * orchestrator's probe asks: the gateway itself and its Redis, so one service's blip does not take
 * every gateway pod out of the load balancer (the routes of the other services keep working).
 */
import type { RequestHandler } from 'express';
import { SERVICES, serviceUrl, type Config } from '@midas/config';

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

export function aggregatedReadiness(
  cfg: Config,
  ownChecks: () => Promise<void>,
  shuttingDown: () => boolean,
): RequestHandler {
  return async (_req, res) => {
    if (shuttingDown()) {
      res.status(503).json({ status: 'shutting_down', unready: ['gateway'], services: {} });
      return;
    }
    const services = await checkServices(cfg);
    const own = await ownChecks().then(
      () => 'ok',
      (err: unknown) => (err instanceof Error ? err.message : String(err)),
    );
    const all = { gateway: own, ...services };
    const unready = Object.entries(all)
      .filter(([, v]) => v !== 'ok')
      .map(([k]) => k);
    res
      .status(unready.length ? 503 : 200)
      .json({ status: unready.length ? 'unready' : 'ready', unready, services: all });
  };
}

export function selfReadiness(ownChecks: () => Promise<void>, shuttingDown: () => boolean): RequestHandler {
  return async (_req, res) => {
    if (shuttingDown()) {
      res.status(503).json({ status: 'shutting_down', checks: { gateway: 'shutting down' } });
      return;
    }
    const redis = await ownChecks().then(
      () => 'ok',
      (err: unknown) => (err instanceof Error ? err.message : String(err)),
    );
    res.status(redis === 'ok' ? 200 : 503).json({
      status: redis === 'ok' ? 'ready' : 'unready',
      checks: { redis },
    });
  };
}
