/**
 * The Idempotency-Key rule every route that honours the header follows (docs/architecture.md,
 * "Idempotency"):
 * - the key is 1 to 255 visible ASCII characters;
 * - it belongs to a scope: the operation (and the resource it acts on) plus the caller: role and
 *   subject for signed-in callers; for guests the client address the gateway forwarded and a hash
 *   of the proof they present (hold token, booking access token), so two guests never share a key;
 * - the request is compared by the SHA-256 of its parsed form in canonical (key-sorted) JSON;
 * - a key is kept 24 hours, then purged and a retry is a new request;
 * - secrets in a response (guest tokens, payment client secrets) are never stored: they are
 *   removed before the response is kept and, on replay, re-derived from the server secret
 *   (`derivedSecret`), re-read from where they live (a payment's client secret) or, without a
 *   server secret (JWKS deployments), re-issued in place of the earlier one.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { stringify } from 'safe-stable-stringify';
import { Conflict, isDomainError, ValidationFailed } from '@midas/contracts';
import { problem } from './problem';

export const IDEMPOTENCY_KEY_TTL_HOURS = 24;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** The request's Idempotency-Key, or undefined without one; a malformed key is a 400. */
export function readIdempotencyKey(req: Request): string | undefined {
  const key = req.get('Idempotency-Key');
  if (key === undefined) return undefined;
  if (!KEY_PATTERN.test(key)) {
    throw new ValidationFailed('Invalid header: Idempotency-Key', [
      { field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters', in: 'header' },
    ]);
  }
  return key;
}

function digest(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/**
 * Whose key it is. `operation` names the route and the resource it acts on; `proof` is the secret
 * a guest presents (hashed here, never stored as is).
 */
export function idempotencyScope(operation: string, req: Request, proof?: string): string {
  const p = req.principal;
  if (p?.sub) return `${operation}|${p.role}:${p.sub}`;
  const client = `guest:${req.ip ?? 'unknown'}`;
  return proof ? `${operation}|${client}:${digest(proof).slice(0, 32)}` : `${operation}|${client}`;
}

/**
 * A guest token the server can compute again instead of storing it: HMAC-SHA-256 of `subject`
 * under a key derived from the server secret for this `purpose` only.
 */
export function derivedSecret(serverSecret: string, purpose: string, subject: string): string {
  const key = createHmac('sha256', serverSecret).update(`midas:${purpose}`).digest();
  return createHmac('sha256', key).update(subject).digest('base64url');
}

/** The SHA-256 of the parsed request in canonical JSON: key order and spacing never matter. */
export function requestHash(request: unknown): string {
  return digest(stringify(request) ?? '');
}

export interface StoredResponse {
  status: number;
  body: unknown;
}

export interface StoredKey {
  requestHash: string;
  state: 'in_progress' | 'done';
  resourceId: string;
  responseStatus: number | null;
  responseBody: unknown;
}

/** Where a service keeps its keys (each in its own schema). */
export interface IdempotencyStore {
  /** Inserts the key in progress; false when it exists. Keys past the TTL are purged first. */
  claim(row: { scope: string; key: string; requestHash: string; resourceId: string }): Promise<boolean>;
  find(scope: string, key: string): Promise<StoredKey | undefined>;
  /** Takes over an attempt silent for `staleMs` (its process died); true when this caller got it. */
  reclaimStale(scope: string, key: string, staleMs: number): Promise<boolean>;
  complete(scope: string, key: string, status: number, body: unknown): Promise<void>;
  release(scope: string, key: string): Promise<void>;
}

/** Keeps a response's secrets out of storage: `strip` before keeping it, `restore` on replay. */
export interface ReplaySecrets {
  strip(response: StoredResponse): StoredResponse;
  restore(response: StoredResponse): Promise<StoredResponse>;
}

export interface IdempotentRequest {
  scope: string;
  key: string;
  request: unknown;
}

const WAIT_STEP_MS = 40;
const WAIT_LIMIT_MS = 20_000;
/** An attempt silent this long is taken to be dead and may be taken over. */
const STALE_MS = 60_000;

const keepAll: ReplaySecrets = { strip: (r) => r, restore: (r) => Promise.resolve(r) };

/**
 * Runs `work` at most once per (scope, key). `work` receives the resource id fixed when the key was
 * first claimed, so an attempt that takes over a dead one builds the same resource. The same key
 * with another request is a 409; concurrent retries wait for the first attempt; a refusal (4xx) is
 * kept as the answer, a failure that is safe to retry (5xx) frees the key.
 */
export async function runIdempotent(
  store: IdempotencyStore,
  req: IdempotentRequest,
  work: (resourceId: string, takeover: boolean) => Promise<StoredResponse>,
  secrets: ReplaySecrets = keepAll,
): Promise<StoredResponse> {
  const hash = requestHash(req.request);
  const deadline = Date.now() + WAIT_LIMIT_MS;
  for (;;) {
    const resourceId = randomUUID();
    if (await store.claim({ scope: req.scope, key: req.key, requestHash: hash, resourceId })) {
      return perform(store, req, resourceId, false, work, secrets);
    }
    const existing = await store.find(req.scope, req.key);
    if (!existing) continue; // the first attempt failed and freed the key: claim it now
    if (existing.requestHash !== hash) {
      throw new Conflict('idempotency_key_reused', 'This Idempotency-Key was used with a different request');
    }
    if (existing.state === 'done') {
      return secrets.restore({ status: existing.responseStatus!, body: existing.responseBody });
    }
    if (await store.reclaimStale(req.scope, req.key, STALE_MS)) {
      return perform(store, req, existing.resourceId, true, work, secrets);
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
  store: IdempotencyStore,
  req: IdempotentRequest,
  resourceId: string,
  takeover: boolean,
  work: (resourceId: string, takeover: boolean) => Promise<StoredResponse>,
  secrets: ReplaySecrets,
): Promise<StoredResponse> {
  let response: StoredResponse;
  try {
    response = await work(resourceId, takeover);
  } catch (err) {
    if (isDomainError(err) && err.status < 500) {
      // A refusal is the answer to this request: a retry gets the same refusal.
      const extra: Record<string, unknown> = { ...(err.details ?? {}) };
      if ('errors' in err && Array.isArray(err.errors)) extra.errors = err.errors;
      await store.complete(req.scope, req.key, err.status, problem(err.status, err.code, err.message, extra));
    } else {
      await store.release(req.scope, req.key);
    }
    throw err;
  }
  const kept = secrets.strip(response);
  await store.complete(req.scope, req.key, kept.status, kept.body);
  return response;
}

/**
 * Claims of attempts in flight, kept outside the database (Redis): cheap and expiring, never the
 * guard (the key's row, stored in the work's own transactions under its primary key, is).
 */
export interface InFlightClaims {
  /** Sets `key` to `value` for `ttlMs` unless it is set; answers the value found, or undefined when this call set it. */
  setOrGet(key: string, value: string, ttlMs: number): Promise<string | undefined>;
  /** Sets `key` for `ttlMs` unless it is set; true when this call set it. */
  setIfAbsent(key: string, ttlMs: number): Promise<boolean>;
  remove(...keys: string[]): Promise<void>;
}

/** A store whose work writes the key itself (`KeyedAttempt`), so only refusals and failures are written here. */
export interface FoldedIdempotencyStore {
  find(scope: string, key: string): Promise<StoredKey | undefined>;
  /** Keeps a refusal as the answer, unless another attempt stored the key first. */
  refuse(attempt: KeyedAttempt, status: number, body: unknown): Promise<void>;
  /** Forgets the key this attempt stored (its work failed and was undone); another attempt's stays. */
  release(attempt: KeyedAttempt): Promise<void>;
}

/** What the work needs to store the key in its own transactions: in progress with the resource, then the response. */
export interface KeyedAttempt {
  scope: string;
  key: string;
  requestHash: string;
  resourceId: string;
  /** An earlier attempt of this key died; its resource may exist already. */
  takeover: boolean;
  /** The response as it may be kept: its secrets removed. */
  kept(response: StoredResponse): StoredResponse;
}

interface Claimed {
  hash: string;
  resourceId: string;
}

function claimKeys(req: IdempotentRequest): { record: string; lock: string } {
  const id = digest(`${req.scope}\n${req.key}`);
  return { record: `idempotency:${id}`, lock: `idempotency:${id}:lock` };
}

/**
 * `runIdempotent` without commits of its own on the way to a success: the claim is two Redis
 * keys (the request's hash and resource id for a day less a minute, so it lapses before the
 * database forgets the key; an attempt lock lapsing after STALE_MS), and `work` stores the key
 * with its resource and then its response in its own transactions (`KeyedAttempt`). A duplicate
 * that the claims miss (Redis lost them, or an attempt overran its lock) fails on the key's
 * primary key and is answered from the stored key. The answers are those of `runIdempotent`.
 */
export async function runIdempotentFolded(
  store: FoldedIdempotencyStore,
  claims: InFlightClaims,
  req: IdempotentRequest,
  work: (attempt: KeyedAttempt) => Promise<StoredResponse>,
  secrets: ReplaySecrets = keepAll,
): Promise<StoredResponse> {
  const hash = requestHash(req.request);
  const keys = claimKeys(req);
  const ttlMs = IDEMPOTENCY_KEY_TTL_HOURS * 3_600_000 - 60_000;
  const attempt = (resourceId: string, takeover: boolean): KeyedAttempt => ({
    scope: req.scope,
    key: req.key,
    requestHash: hash,
    resourceId,
    takeover,
    kept: (r) => secrets.strip(r),
  });
  const deadline = Date.now() + WAIT_LIMIT_MS;
  for (;;) {
    const mine: Claimed = { hash, resourceId: randomUUID() };
    const found = await claims.setOrGet(keys.record, JSON.stringify(mine), ttlMs);
    if (found === undefined && (await claims.setIfAbsent(keys.lock, STALE_MS))) {
      return performFolded(store, claims, keys, attempt(mine.resourceId, false), work, secrets);
    }
    const claimed = found === undefined ? mine : (JSON.parse(found) as Claimed);
    const stored = await store.find(req.scope, req.key);
    if (stored && stored.requestHash !== hash) {
      throw new Conflict('idempotency_key_reused', 'This Idempotency-Key was used with a different request');
    }
    if (stored?.state === 'done') {
      return secrets.restore({ status: stored.responseStatus!, body: stored.responseBody });
    }
    if (claimed.hash !== hash) {
      // The claim outlived its key (kept, then purged) or belongs to an attempt in flight.
      if (await claims.setIfAbsent(keys.lock, STALE_MS)) {
        await claims.remove(keys.record, keys.lock);
        continue;
      }
      throw new Conflict('idempotency_key_reused', 'This Idempotency-Key was used with a different request');
    }
    if (await claims.setIfAbsent(keys.lock, STALE_MS)) {
      // The attempt that claimed it died (or lost its lock): finish its resource.
      return performFolded(store, claims, keys, attempt(claimed.resourceId, true), work, secrets);
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

async function performFolded(
  store: FoldedIdempotencyStore,
  claims: InFlightClaims,
  keys: { record: string; lock: string },
  attempt: KeyedAttempt,
  work: (attempt: KeyedAttempt) => Promise<StoredResponse>,
  secrets: ReplaySecrets,
): Promise<StoredResponse> {
  try {
    return await work(attempt);
  } catch (err) {
    const stored = await store.find(attempt.scope, attempt.key);
    if (stored?.state === 'done' && stored.requestHash === attempt.requestHash) {
      // Another attempt of the same request stored it first (the primary key refused this one).
      return secrets.restore({ status: stored.responseStatus!, body: stored.responseBody });
    }
    if (isDomainError(err) && err.status < 500) {
      const extra: Record<string, unknown> = { ...(err.details ?? {}) };
      if ('errors' in err && Array.isArray(err.errors)) extra.errors = err.errors;
      await store.refuse(attempt, err.status, problem(err.status, err.code, err.message, extra));
    } else {
      await store.release(attempt);
      await claims.remove(keys.record).catch(() => undefined);
    }
    throw err;
  } finally {
    // A claim Redis could not drop lapses by itself; the answer stands.
    await claims.remove(keys.lock).catch(() => undefined);
  }
}

/** Marks, inside a kept body, which secrets were taken out, so `restore` knows what to give back. */
export const REMOVED_SECRETS = '$removedSecrets';

/**
 * Takes the named fields (dotted paths) out of a JSON body and lists those that were present under
 * REMOVED_SECRETS; the body itself is not changed.
 */
export function withoutSecrets(body: unknown, paths: readonly string[]): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const copy = structuredClone(body) as Record<string, unknown>;
  const removed: string[] = [];
  for (const path of paths) {
    const parts = path.split('.');
    let node: Record<string, unknown> | undefined = copy;
    for (const part of parts.slice(0, -1)) {
      const next: unknown = node?.[part];
      node = typeof next === 'object' && next !== null ? (next as Record<string, unknown>) : undefined;
    }
    const last = parts[parts.length - 1]!;
    if (node && node[last] !== undefined) {
      delete node[last];
      removed.push(path);
    }
  }
  if (removed.length) copy[REMOVED_SECRETS] = removed;
  return copy;
}

/** Splits a kept body into the body to answer with and the secrets `withoutSecrets` took out. */
export function removedSecrets(body: unknown): { body: unknown; removed: string[] } {
  if (typeof body !== 'object' || body === null || !(REMOVED_SECRETS in body)) return { body, removed: [] };
  const { [REMOVED_SECRETS]: removed, ...rest } = body as Record<string, unknown>;
  return { body: rest, removed: Array.isArray(removed) ? (removed as string[]) : [] };
}
