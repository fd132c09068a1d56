/** The audit trail of admin changes: who changed which pricing rule, from what to what. */
import { eq } from 'drizzle-orm';
import { keysetPage, type Tx } from '@midas/db';
import { auditLog } from './schema';

export interface Actor {
  sub: string;
  role: string;
}

export interface AuditEntry {
  action: 'create' | 'update' | 'delete';
  entity: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

export async function recordAudit(tx: Tx, actor: Actor, entry: AuditEntry): Promise<void> {
  const { before = null, after = null, ...what } = entry;
  await tx.insert(auditLog).values({ ...what, actor: actor.sub, actorRole: actor.role, before, after });
}

export type AuditRow = typeof auditLog.$inferSelect;

/** Newest first; `beforeId` continues a page. */
export async function listAudit(
  tx: Tx,
  filter: { entity?: string; entityId?: string; beforeId?: number; limit: number },
): Promise<AuditRow[]> {
  const page = { after: filter.beforeId, limit: filter.limit, descending: true };
  return keysetPage(tx, auditLog, auditLog.id, page, [
    filter.entity ? eq(auditLog.entity, filter.entity) : undefined,
    filter.entityId ? eq(auditLog.entityId, filter.entityId) : undefined,
  ]);
}
