/** The OpenAPI 3.1 document, generated from the zod schemas the services validate with. */
import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { apiRoutes, apiWebhooks, type ApiRoute, type ApiWebhook } from '@midas/contracts';

extendZodWithOpenApi(z);

const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string(), in: z.string().optional() })).optional(),
});

function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z_]+)(\.[a-z]+)?/g, (_m, name: string, ext = '') => `{${name}}${ext}`);
}

export function buildOpenApiDocument(
  routes: ApiRoute[] = apiRoutes,
  webhooks: ApiWebhook[] = apiWebhooks,
): Record<string, unknown> {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  const problem = registry.register('Problem', problemSchema);
  for (const r of routes) {
    const responses: Record<
      string,
      { description: string; content?: Record<string, { schema: z.ZodType }> }
    > = {};
    for (const [status, resp] of Object.entries(r.responses)) {
      responses[status] = resp.schema
        ? { description: resp.description, content: { 'application/json': { schema: resp.schema } } }
        : { description: resp.description };
    }
    responses.default = {
      description: 'Error',
      content: { 'application/problem+json': { schema: problem } },
    };
    registry.registerPath({
      method: r.method,
      path: openApiPath(r.path),
      summary: r.summary,
      description: `Access: ${r.access.description}`,
      tags: [r.tag],
      security: [{ bearer: [] }, {}],
      request: {
        params: r.params as never,
        query: r.query as never,
        body: r.body ? { content: { 'application/json': { schema: r.body } } } : undefined,
      },
      responses,
    });
  }
  // What Midas POSTs to subscribers' URLs: one versioned payload per event type, signed per the
  // Standard Webhooks specification (webhook-id, webhook-timestamp, webhook-signature headers).
  for (const w of webhooks) {
    registry.registerWebhook({
      method: 'post',
      path: w.name,
      summary: w.summary,
      description:
        'Sent with `webhook-id`, `webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>`; answer 2xx to acknowledge.',
      tags: ['webhooks'],
      request: { body: { content: { 'application/json': { schema: w.schema } } } },
      responses: { 200: { description: 'Any 2xx acknowledges the delivery; anything else is retried' } },
    });
  }
  const generator = new OpenApiGeneratorV31(registry.definitions);
  return generator.generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Midas booking API',
      version: '1.0.0',
      description: 'Real-time booking for luxury rentals. Errors are application/problem+json.',
    },
    servers: [{ url: '/' }],
  }) as unknown as Record<string, unknown>;
}
