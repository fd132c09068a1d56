/** How late reminders go out (`midas_reminder_lag_seconds`, actual minus due) and what became of each attempt. */
import { Counter, Histogram, type Metrics } from '@midas/observability';
import type { ReminderOutcome } from '../flows/send-reminder';

export type ReminderPath = 'job' | 'sweep';

export class ReminderMetrics {
  private readonly lag: Histogram<'via'>;
  private readonly outcomes: Counter<'via' | 'outcome'>;

  constructor(metrics: Metrics) {
    this.lag = new Histogram({
      name: 'midas_reminder_lag_seconds',
      help: 'Seconds between a reminder moment and the reminder being recorded with its event, by the path that sent it',
      labelNames: ['via'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
      registers: [metrics.registry],
    });
    this.outcomes = new Counter({
      name: 'midas_reminders_total',
      help: 'Reminder decisions by path and outcome (sent, already_sent, wait, or the reason for skipping)',
      labelNames: ['via', 'outcome'] as const,
      registers: [metrics.registry],
    });
    // Reminders skipped because their moment passed are alerted on; their series start at zero.
    for (const via of ['job', 'sweep'] as const) this.outcomes.inc({ via, outcome: 'too_late' }, 0);
  }

  record(via: ReminderPath, outcome: ReminderOutcome): void {
    if (outcome.kind === 'sent') {
      this.lag.observe({ via }, (outcome.sentAt.getTime() - outcome.dueAt.getTime()) / 1000);
    }
    this.outcomes.inc({ via, outcome: outcome.kind === 'skipped' ? outcome.reason : outcome.kind });
  }
}
