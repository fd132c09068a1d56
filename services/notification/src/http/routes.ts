/** HTTP routes of the notification service. */
import type { Router } from 'express';

export function notificationRoutes() {
  return (_router: Router) => {};
}
