/** HTTP routes of the calendar service. */
import type { Router } from 'express';

export function calendarRoutes() {
  return (_router: Router) => {};
}
