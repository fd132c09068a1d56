/** Wiring of the pricing service: what it serves and what it closes on stop. */
import path from 'node:path';
import type { ServiceDefinition } from '@midas/runtime';
import { pricingRoutes } from './http/routes';

export const pricingService: ServiceDefinition = {
  name: 'pricing',
  schema: 'pricing',
  migrationsFolder: path.resolve(__dirname, '../src/db/migrations'),
  async setup() {
    return { routes: pricingRoutes() };
  },
};
