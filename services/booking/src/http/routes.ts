/** HTTP routes of the booking service. */
import type { Router } from 'express';

export function bookingRoutes() {
  return (_router: Router) => {};
}
