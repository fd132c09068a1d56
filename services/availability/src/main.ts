/** Process entry point of the availability service. */
import './telemetry';
import { runMain } from '@midas/runtime';
import { availabilityService } from './service';

runMain(availabilityService);
