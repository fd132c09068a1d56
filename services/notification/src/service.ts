/** Wiring of the notification service: what it serves and what it closes on stop. */
import path from 'node:path';
import type { ServiceDefinition } from '@midas/runtime';
import { notificationRoutes } from './http/routes';

export const notificationService: ServiceDefinition = {
  name: 'notification',
  schema: 'notification',
  migrationsFolder: path.resolve(__dirname, '../src/db/migrations'),
  async setup() {
    return { routes: notificationRoutes() };
  },
};
