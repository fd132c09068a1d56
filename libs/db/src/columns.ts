/** Column types the services' drizzle schemas share, read back as the code uses them. */
import { bigint, timestamp } from 'drizzle-orm/pg-core';

/** timestamptz, read as a Date: time is UTC at every boundary. */
export const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** bigint read as a number: amounts in minor units stay far below 2^53. */
export const amount = (name: string) => bigint(name, { mode: 'number' });
