/** HTTP routes of the notification service: parse with the contract's schemas, authorise, call a flow, map. */
import type { Router } from 'express';
import { z } from 'zod';
import { notificationApi as api, notificationSchemas as s } from '@midas/contracts';
import { decodeCursor, encodeCursor, fields, parseInput, requireRole } from '@midas/http';
import type { CommunicationRow } from '../db/schema';
import type { NotificationContext } from '../flows/context';
import { listCommunications } from '../flows/list-communications';
import { readCommunication } from '../flows/read-communication';
import { previewTemplate } from '../flows/preview-template';

const cursorSchema = z.object({ seq: z.number().int().min(0) });
const localeFields = z.object({ timezone: fields.timezone.optional(), currency: fields.currency.optional() });

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

export function notificationRoutes(ctx: NotificationContext) {
  return (router: Router) => {
    router.get(api.listNotifications.path, requireRole('concierge', 'admin'), async (req, res) => {
      const q = parseInput(s.listQuery, req.query, 'query');
      const after = decodeCursor(cursorSchema, q.cursor);
      const page = await listCommunications(
        ctx,
        {
          bookingId: q.bookingId,
          afterSeq: after?.seq,
          limit: q.limit,
        },
        req.principal,
      );
      res.json({
        items: page.items.map(communicationJson),
        nextCursor: page.nextSeq === null ? null : encodeCursor({ seq: page.nextSeq }),
      });
    });

    router.get(api.getNotification.path, requireRole('concierge', 'admin'), async (req, res) => {
      const { id } = parseInput(s.idParams, req.params, 'params');
      const { row, tries } = await readCommunication(ctx, id, req.principal);
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

    router.post(api.previewTemplate.path, requireRole('admin'), (req, res) => {
      const { template } = parseInput(s.previewParams, req.params, 'params');
      const body = parseInput(s.previewBody, req.body, 'body');
      parseInput(localeFields, { timezone: body.timezone, currency: body.currency }, 'body');
      res.json(previewTemplate(template, body));
    });
  };
}
