/** Process entry point of the booking service. */
import './telemetry';
import { loadConfig, paymentConfigProblem } from '@midas/config';
import { runMain } from '@midas/runtime';
import { bookingService } from './service';

// Checked before anything connects: a production booking without a real payment provider must not run at all.
const problem = paymentConfigProblem(loadConfig());
if (problem) {
  process.stderr.write(`booking failed to start: ${problem}\n`);
  process.exit(78);
}
runMain(bookingService);
