/**
 * A public HTTP route described once: the service validates with these schemas and enforces its
 * access rule, and the gateway publishes the same schemas and the rule's description as OpenAPI 3.1.
 */
import type { z } from 'zod';

export const ROLES = ['guest', 'customer', 'concierge', 'admin', 'super_admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who may reach a route's handler. `anyone` lets guests in, `signed-in` every bearer of a valid
 * token, a list of roles only those (super_admin counts as admin). Checks that depend on the
 * resource (ownership, assignment, a guest's token) stay in the flows; `description` says them in
 * words for the OpenAPI document.
 */
export interface Access {
  allow: 'anyone' | 'signed-in' | readonly Exclude<Role, 'guest'>[];
  description: string;
}

export const access = {
  anyone: (description = 'anyone'): Access => ({ allow: 'anyone', description }),
  signedIn: (description = 'any signed-in user'): Access => ({ allow: 'signed-in', description }),
  roles: (roles: readonly Exclude<Role, 'guest'>[], description = roles.join(', ')): Access => ({
    allow: roles,
    description,
  }),
};

export interface ApiRoute {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express-style path, e.g. `/v1/items/:id`. */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  params?: z.ZodType;
  query?: z.ZodType;
  /** Request headers the route reads (names in lower case), for routes called by other systems. */
  headers?: z.ZodType;
  body?: z.ZodType;
  responses: Record<number, { description: string; schema?: z.ZodType }>;
}

export const apiRoutes: ApiRoute[] = [];

/** Registers routes for the OpenAPI document and returns them for the owning service. */
export function defineRoutes<T extends Record<string, ApiRoute>>(routes: T): T {
  apiRoutes.push(...Object.values(routes));
  return routes;
}
