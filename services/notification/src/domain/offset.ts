/** Reminder offsets (`24h`, `90m`, `2d`, `30s`, as in REMINDER_OFFSETS) in words for a message. */
import { Duration } from 'luxon';

const UNIT = { s: 'seconds', m: 'minutes', h: 'hours', d: 'days' } as const;

/** `1h` -> `1 hour`, `24h` -> `24 hours`, `90m` -> `1 hour, 30 minutes`; anything else is shown as given. */
export function describeOffset(offset: string): string {
  const match = /^(\d+)([smhd])$/.exec(offset.trim());
  if (!match) return offset;
  const amount = Number(match[1]);
  if (amount === 0) return 'now';
  const unit = UNIT[match[2] as keyof typeof UNIT];
  // Smaller units roll up into hours, but `24h` stays "24 hours" rather than "1 day": it is how the offset was set.
  const shifted =
    unit === 'days'
      ? Duration.fromObject({ days: amount })
      : Duration.fromObject({ [unit]: amount }).shiftTo('hours', 'minutes', 'seconds');
  const parts = Object.fromEntries(Object.entries(shifted.toObject()).filter(([, v]) => v !== 0));
  return Duration.fromObject(parts).reconfigure({ locale: 'en-GB' }).toHuman({ unitDisplay: 'long' });
}
