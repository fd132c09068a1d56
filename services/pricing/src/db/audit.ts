/** The audit trail of admin changes: who changed which pricing rule, from what to what. */
import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import type { Tx } from '@midas/db';
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
  await tx.insert(auditLog).values({
    actor: actor.sub,
    actorRole: actor.role,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId,
    before: entry.before ?? null,
    after: entry.after ?? null,
  });
}

export type AuditRow = typeof auditLog.$inferSelect;

/** Newest first; `beforeId` continues a page. */
export async function listAudit(
  tx: Tx,
  filter: { entity?: string; entityId?: string; beforeId?: number; limit: number },
): Promise<AuditRow[]> {
  const where: SQL[] = [];
  if (filter.entity) where.push(eq(auditLog.entity, filter.entity));
  if (filter.entityId) where.push(eq(auditLog.entityId, filter.entityId));
  if (filter.beforeId !== undefined) where.push(lt(auditLog.id, filter.beforeId));
  return tx
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(filter.limit);
}
