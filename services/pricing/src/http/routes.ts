/** HTTP routes of the pricing service. */
import type { Router } from 'express';

export function pricingRoutes() {
  return (_router: Router) => {};
}
