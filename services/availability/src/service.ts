/** Wiring of the availability service: what it serves and what it closes on stop. */
import path from 'node:path';
import type { ServiceDefinition } from '@midas/runtime';
import { availabilityRoutes } from './http/routes';

export const availabilityService: ServiceDefinition = {
  name: 'availability',
  schema: 'availability',
  migrationsFolder: path.resolve(__dirname, '../src/db/migrations'),
  async setup() {
    return { routes: availabilityRoutes() };
  },
};
