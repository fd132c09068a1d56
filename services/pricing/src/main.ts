/** Process entry point of the pricing service. */
import './telemetry';
import { runMain } from '@midas/runtime';
import { pricingService } from './service';

runMain(pricingService);
