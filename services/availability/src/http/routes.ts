/** HTTP routes of the availability service. */
import type { Router } from 'express';

export function availabilityRoutes() {
  return (_router: Router) => {};
}
