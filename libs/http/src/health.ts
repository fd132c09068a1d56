/** `/readyz`: 200 only when every dependency check passes within its deadline, 503 naming those that fail. */
import type { RequestHandler } from 'express';

export type ReadinessCheck = () => Promise<unknown>;

export async function runChecks(
  checks: Record<string, ReadinessCheck>,
  timeoutMs = 2000,
): Promise<{ ready: boolean; checks: Record<string, string> }> {
  const names = Object.keys(checks);
  const results = await Promise.all(
    names.map(async (name) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          checks[name]!(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        return [name, 'ok'] as const;
      } catch (err) {
        return [name, err instanceof Error ? err.message : String(err)] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const out = Object.fromEntries(results);
  return { ready: results.every(([, r]) => r === 'ok'), checks: out };
}

export function readinessHandler(
  checks: Record<string, ReadinessCheck>,
  isShuttingDown?: () => boolean,
): RequestHandler {
  return async (_req, res) => {
    if (isShuttingDown?.()) {
      res.status(503).json({ status: 'shutting_down', checks: {} });
      return;
    }
    const result = await runChecks(checks);
    res
      .status(result.ready ? 200 : 503)
      .json({ status: result.ready ? 'ready' : 'unready', checks: result.checks });
  };
}
