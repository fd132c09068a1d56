/** Customers' contact profiles, and the copy of it that their bookings not yet over carry. */
import { and, eq, notInArray, sql } from 'drizzle-orm';
import type { Tx } from '@midas/db';
import { bookings, customerProfiles, type CustomerProfileRow } from './schema';

export interface Contact {
  name: string;
  email: string;
  phone?: string | null;
}

export async function findProfile(tx: Tx, customerId: string): Promise<CustomerProfileRow | undefined> {
  const [row] = await tx.select().from(customerProfiles).where(eq(customerProfiles.customerId, customerId));
  return row;
}

export async function saveProfile(tx: Tx, customerId: string, contact: Contact): Promise<CustomerProfileRow> {
  const values = { name: contact.name, email: contact.email, phone: contact.phone ?? null };
  const [row] = await tx
    .insert(customerProfiles)
    .values({ customerId, ...values })
    .onConflictDoUpdate({ target: customerProfiles.customerId, set: { ...values, updatedAt: sql`now()` } })
    .returning();
  return row!;
}

/** The customer's bookings that took their contact from the profile and are not over follow a change of it. */
export async function followProfile(tx: Tx, customerId: string, contact: Contact): Promise<number> {
  const rows = await tx
    .update(bookings)
    .set({ guestName: contact.name, guestEmail: contact.email, guestPhone: contact.phone ?? null })
    .where(
      and(
        eq(bookings.customerId, customerId),
        eq(bookings.contactFromProfile, true),
        notInArray(bookings.status, ['completed', 'refunded', 'expired']),
      ),
    )
    .returning({ id: bookings.id });
  return rows.length;
}
