/** HTTP routes of the notification service: parse with the contract's schemas, authorise, call a flow, map. */
import type { Router } from 'express';
import { z } from 'zod';
import { notificationApi as api } from '@midas/contracts';
import { checkLocale, decodeCursor, encodeCursor, mount } from '@midas/http';
import type { CommunicationRow } from '../db/schema';
import type { FlowContext } from '../flows/context';
import { listCommunications } from '../flows/list-communications';
import { readCommunication } from '../flows/read-communication';
import { previewTemplate } from '../flows/preview-template';

const cursorSchema = z.object({ seq: z.number().int().min(0) });

function communicationJson(row: CommunicationRow) {
  return {
    id: row.id,
    bookingId: row.bookingId,
    eventId: row.eventId,
    eventType: row.eventType,
    template: row.template,
    channel: row.channel,
    to: row.recipient,
    subject: row.subject,
    status: row.status,
    providerMessageId: row.providerMessageId,
    transport: row.transport,
    attempts: row.attempts,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
  };
}

export function notificationRoutes(ctx: FlowContext) {
  return (router: Router) => {
    mount(router, api.listNotifications, async ({ query: q, principal }, _req, res) => {
      const after = decodeCursor(cursorSchema, q.cursor);
      const page = await listCommunications(
        ctx,
        { bookingId: q.bookingId, afterSeq: after?.seq, limit: q.limit },
        principal,
      );
      res.json({
        items: page.items.map(communicationJson),
        nextCursor: page.nextSeq === null ? null : encodeCursor({ seq: page.nextSeq }),
      });
    });

    mount(router, api.getNotification, async ({ params: { id }, principal }, _req, res) => {
      const { row, tries } = await readCommunication(ctx, id, principal);
      res.json({
        ...communicationJson(row),
        tries: tries.map((t) => ({
          attempt: t.attempt,
          transport: t.transport,
          outcome: t.outcome,
          providerMessageId: t.providerMessageId,
          error: t.error,
          at: t.at.toISOString(),
        })),
      });
    });

    mount(router, api.previewTemplate, ({ params: { template }, body }, _req, res) => {
      checkLocale(body);
      res.json(previewTemplate(template, body));
    });
  };
}
