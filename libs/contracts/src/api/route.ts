/**
 * A public HTTP route described once: the service validates with these schemas and the
 * gateway publishes the same schemas as OpenAPI 3.1.
 */
import type { z } from 'zod';

export interface ApiRoute {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express-style path, e.g. `/v1/items/:id`. */
  path: string;
  summary: string;
  tag: string;
  /** Who may call it, in words (CONTRACT.md "Resources"). */
  access: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  responses: Record<number, { description: string; schema?: z.ZodType }>;
}

export const apiRoutes: ApiRoute[] = [];

/** Registers routes for the OpenAPI document and returns them for the owning service. */
export function defineRoutes<T extends Record<string, ApiRoute>>(routes: T): T {
  apiRoutes.push(...Object.values(routes));
  return routes;
}
