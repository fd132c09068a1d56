/** Process entry point of the notification service. */
import './telemetry';
import { runMain } from '@midas/runtime';
import { notificationService } from './service';

runMain(notificationService);
