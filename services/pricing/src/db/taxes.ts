/** Taxes per location. */
import { sql } from 'drizzle-orm';
import { keysetPage, type Tx } from '@midas/db';
import { taxes } from './schema';

export type TaxRow = typeof taxes.$inferSelect;

export async function taxAt(tx: Tx, location: string): Promise<TaxRow | undefined> {
  const [row] = await tx
    .select()
    .from(taxes)
    .where(sql`lower(${taxes.location}) = lower(${location})`);
  return row;
}

export async function listTaxes(
  tx: Tx,
  filter: { afterLocation?: string; limit: number },
): Promise<TaxRow[]> {
  return keysetPage(tx, taxes, taxes.location, { after: filter.afterLocation, limit: filter.limit });
}

/** Serialises writers of one location's tax: replacing it is a delete then an insert. */
export async function lockTaxAt(tx: Tx, location: string): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('pricing:tax:' || lower(${location})))`);
}

/** Replaces the tax of a location (matched case-insensitively); returns the previous one. */
export async function putTax(tx: Tx, tax: Omit<TaxRow, 'updatedAt'>): Promise<TaxRow | undefined> {
  const [previous] = await tx
    .delete(taxes)
    .where(sql`lower(${taxes.location}) = lower(${tax.location})`)
    .returning();
  await tx.insert(taxes).values(tax);
  return previous;
}

export async function deleteTax(tx: Tx, location: string): Promise<TaxRow | undefined> {
  const [row] = await tx
    .delete(taxes)
    .where(sql`lower(${taxes.location}) = lower(${location})`)
    .returning();
  return row;
}
