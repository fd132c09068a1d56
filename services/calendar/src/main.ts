/** Process entry point of the calendar service. */
import './telemetry';
import { runMain } from '@midas/runtime';
import { calendarService } from './service';

runMain(calendarService);
