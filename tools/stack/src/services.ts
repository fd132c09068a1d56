/** The five service definitions, in the order they migrate and start. */
import { availabilityService } from '@midas/availability';
import { pricingService } from '@midas/pricing';
import { bookingService } from '@midas/booking';
import { notificationService } from '@midas/notification';
import { calendarService } from '@midas/calendar';
import type { ServiceDefinition } from '@midas/runtime';

export const serviceDefinitions: ServiceDefinition[] = [
  availabilityService,
  pricingService,
  bookingService,
  notificationService,
  calendarService,
];
