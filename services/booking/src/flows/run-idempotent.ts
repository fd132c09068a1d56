/**
 * Idempotency-Key handling (CONTRACT.md): the key and a hash of the request are stored before any
 * work; the same key with the same request replays the first response, with another request it is
 * a 409. Concurrent retries wait for the first attempt instead of repeating it; a failure that is
 * safe to retry (5xx) frees the key again.
 */
import { createHash, randomUUID } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';
import { Conflict, isDomainError } from '@midas/contracts';
import type { Db } from '@midas/db';
import { problem } from '@midas/http';
import { claimKey, completeKey, findKey, reclaimStaleKey, releaseKey } from '../db/idempotency-keys';

export interface StoredResponse {
  status: number;
  body: unknown;
}

export interface IdempotentRequest {
  /** Who and which route the key belongs to, so two callers' keys never meet. */
  scope: string;
  key: string;
  request: unknown;
}

const WAIT_STEP_MS = 40;
const WAIT_LIMIT_MS = 20_000;
/** An attempt silent this long is taken to be dead and may be taken over. */
const STALE_MS = 60_000;

export function requestHash(request: unknown): string {
  return createHash('sha256')
    .update(stringify(request) ?? '')
    .digest('hex');
}

/**
 * Runs `work` at most once per (scope, key). `work` receives the resource id fixed when the key was
 * first claimed, so an attempt that takes over a dead one builds the same resource.
 */
export async function runIdempotent(
  db: Db,
  req: IdempotentRequest,
  work: (resourceId: string, takeover: boolean) => Promise<StoredResponse>,
): Promise<StoredResponse> {
  const hash = requestHash(req.request);
  const deadline = Date.now() + WAIT_LIMIT_MS;
  for (;;) {
    const resourceId = randomUUID();
    if (await claimKey(db, { scope: req.scope, key: req.key, requestHash: hash, resourceId })) {
      return perform(db, req, resourceId, false, work);
    }
    const existing = await findKey(db, req.scope, req.key);
    if (!existing) continue; // the first attempt failed and freed the key: claim it now
    if (existing.requestHash !== hash) {
      throw new Conflict('idempotency_key_reused', 'This Idempotency-Key was used with a different request');
    }
    if (existing.state === 'done') return { status: existing.responseStatus!, body: existing.responseBody };
    if (await reclaimStaleKey(db, req.scope, req.key, STALE_MS)) {
      return perform(db, req, existing.resourceId, true, work);
    }
    if (Date.now() > deadline) {
      throw new Conflict(
        'idempotency_request_in_progress',
        'A request with this Idempotency-Key is still being processed',
      );
    }
    await new Promise((r) => setTimeout(r, WAIT_STEP_MS));
  }
}

async function perform(
  db: Db,
  req: IdempotentRequest,
  resourceId: string,
  takeover: boolean,
  work: (resourceId: string, takeover: boolean) => Promise<StoredResponse>,
): Promise<StoredResponse> {
  let response: StoredResponse;
  try {
    response = await work(resourceId, takeover);
  } catch (err) {
    if (isDomainError(err) && err.status < 500) {
      // A refusal is the answer to this request: a retry gets the same refusal.
      const extra: Record<string, unknown> = { ...(err.details ?? {}) };
      if ('errors' in err && Array.isArray(err.errors)) extra.errors = err.errors;
      await completeKey(
        db,
        req.scope,
        req.key,
        err.status,
        problem(err.status, err.code, err.message, extra),
      );
    } else {
      await releaseKey(db, req.scope, req.key);
    }
    throw err;
  }
  await completeKey(db, req.scope, req.key, response.status, response.body);
  return response;
}
