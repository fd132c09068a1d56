/** Wiring of the calendar service: what it serves and what it closes on stop. */
import path from 'node:path';
import type { ServiceDefinition } from '@midas/runtime';
import { calendarRoutes } from './http/routes';

export const calendarService: ServiceDefinition = {
  name: 'calendar',
  schema: 'calendar',
  migrationsFolder: path.resolve(__dirname, '../src/db/migrations'),
  async setup() {
    return { routes: calendarRoutes() };
  },
};
