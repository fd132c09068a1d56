/** Process entry point of the booking service. */
import './telemetry';
import { runMain } from '@midas/runtime';
import { bookingService } from './service';

runMain(bookingService);
