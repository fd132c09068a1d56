/**
 * One way to serve a contract route: enforce its access rule, parse params, query, headers and body
 * with its schemas (400 naming each bad field), then hand the handler typed input and the caller.
 */
import type { Request, Response, Router } from 'express';
import type { z } from 'zod';
import type { ApiRoute } from '@midas/contracts';
import { checkAccess, GUEST, type Principal } from './auth';
import { parseInput } from './validate';

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteInput<R extends ApiRoute> {
  params: Parsed<R['params']>;
  query: Parsed<R['query']>;
  headers: Parsed<R['headers']>;
  body: Parsed<R['body']>;
  principal: Principal;
}

export type RouteHandler<R extends ApiRoute> = (
  input: RouteInput<R>,
  req: Request,
  res: Response,
) => Promise<void> | void;

export interface MountOptions {
  /** Rewrites the raw query before it is parsed (e.g. a `+` that arrived as a space). */
  prepareQuery?: (query: Record<string, unknown>) => Record<string, unknown>;
  /** Parses the body instead of the route's schema, giving the same output and the same 400s (a fast path). */
  parseBody?: (body: unknown) => unknown;
}

function parsePart<R extends ApiRoute>(
  route: R,
  part: 'params' | 'query' | 'headers' | 'body',
  value: unknown,
): unknown {
  const schema = route[part];
  if (!schema) return undefined;
  return parseInput(schema, value, part === 'headers' ? 'header' : part);
}

/** Registers `route` on `router`; express 5 passes a rejected handler to the problem handler. */
export function mount<R extends ApiRoute>(
  router: Router,
  route: R,
  handler: RouteHandler<R>,
  options: MountOptions = {},
): void {
  router[route.method](route.path, async (req: Request, res: Response) => {
    const principal = req.principal ?? GUEST;
    checkAccess(principal, route.access);
    const query = options.prepareQuery
      ? options.prepareQuery(req.query as Record<string, unknown>)
      : req.query;
    const input = {
      params: parsePart(route, 'params', req.params),
      query: parsePart(route, 'query', query),
      headers: parsePart(route, 'headers', req.headers),
      body: options.parseBody ? options.parseBody(req.body) : parsePart(route, 'body', req.body),
      principal,
    } as RouteInput<R>;
    await handler(input, req, res);
  });
}
