/**
 * Deterministic BullMQ job ids derived from what a job is about (`jobId('reminder', bookingId, '1h')`
 * -> `reminder.<bookingId>.1h`), so scheduling the same thing twice adds one job. BullMQ reserves
 * `:` in custom ids, hence the dots.
 */
export function jobId(kind: string, ...parts: (string | number)[]): string {
  const all = [kind, ...parts.map(String)];
  for (const part of all) {
    if (!part || part.includes(':') || part.includes('.')) {
      throw new Error(`job id part "${part}" must be non-empty and contain neither ":" nor "."`);
    }
  }
  return all.join('.');
}
