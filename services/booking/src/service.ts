/** Wiring of the booking service: what it serves and what it closes on stop. */
import path from 'node:path';
import type { ServiceDefinition } from '@midas/runtime';
import { bookingRoutes } from './http/routes';

export const bookingService: ServiceDefinition = {
  name: 'booking',
  schema: 'booking',
  migrationsFolder: path.resolve(__dirname, '../src/db/migrations'),
  async setup() {
    return { routes: bookingRoutes() };
  },
};
