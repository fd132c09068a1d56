/** Process entry point of the gateway. */
import './telemetry';
import { loadConfig } from '@midas/config';
import { stopTelemetry } from '@midas/observability';
import { startGateway } from './gateway';

const cfg = loadConfig();
startGateway(cfg).then(
  (gw) => {
    gw.lifecycle.onStop('telemetry', stopTelemetry);
    gw.lifecycle.handleSignals();
  },
  (err: unknown) => {
    process.stderr.write(`gateway failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
