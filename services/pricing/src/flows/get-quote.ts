/** Reads a stored quote by id. */
import { NotFound, type Quote } from '@midas/contracts';
import { findQuote } from '../db/quotes';
import { quoteView } from './quote-stay';
import type { FlowContext } from './context';

export async function getQuote(deps: FlowContext, id: string): Promise<Quote> {
  const row = await findQuote(deps.db, id);
  if (!row) throw new NotFound('quote', `Quote ${id} not found`);
  return quoteView(row);
}
