/** HTTP routes of outbound webhooks (admin only): parse with the contract's schemas, call a flow, map. */
import type { Router } from 'express';
import { z } from 'zod';
import { webhookApi as api, webhookSchemas as s } from '@midas/contracts';
import { decodeCursor, encodeCursor, parseInput, requireRole } from '@midas/http';
import type { DeliveryRow } from '../db/schema';
import type { FlowContext } from '../flows/context';
import { createSubscription } from '../flows/create-subscription';
import { deleteSubscription } from '../flows/delete-subscription';
import { listDeliveries } from '../flows/list-deliveries';
import { listSubscriptions } from '../flows/list-subscriptions';
import { readSubscription } from '../flows/read-subscription';
import { replayDelivery } from '../flows/replay-delivery';
import { rotateSecret } from '../flows/rotate-secret';
import { subscriptionJson } from '../flows/subscription-view';
import { updateSubscription } from '../flows/update-subscription';

const cursorSchema = z.object({ seq: z.number().int().min(0) });

function deliveryJson(row: DeliveryRow) {
  return {
    id: row.id,
    subscriptionId: row.subscriptionId,
    eventId: row.eventId,
    eventType: row.eventType,
    bookingId: row.bookingId,
    sequence: row.sequence,
    status: row.status,
    attempts: row.attempts,
    responseStatus: row.responseStatus,
    latencyMs: row.latencyMs,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
  };
}

export function webhookRoutes(ctx: FlowContext) {
  const admin = requireRole('admin');
  return (router: Router) => {
    router.post(api.createWebhook.path, admin, async (req, res) => {
      const body = parseInput(s.createBody, req.body, 'body');
      const { row, secret } = await createSubscription(ctx, body, req.principal?.sub);
      res
        .status(201)
        .location(`/v1/webhooks/${row.id}`)
        .json({ ...subscriptionJson(row), secret });
    });

    router.get(api.listWebhooks.path, admin, async (req, res) => {
      const q = parseInput(s.pageQuery, req.query, 'query');
      const after = decodeCursor(cursorSchema, q.cursor);
      const page = await listSubscriptions(ctx, { afterSeq: after?.seq, limit: q.limit });
      res.json({
        items: page.items.map(subscriptionJson),
        nextCursor: page.nextSeq === null ? null : encodeCursor({ seq: page.nextSeq }),
      });
    });

    router.get(api.getWebhook.path, admin, async (req, res) => {
      const { id } = parseInput(s.idParams, req.params, 'params');
      res.json(subscriptionJson(await readSubscription(ctx, id)));
    });

    router.patch(api.updateWebhook.path, admin, async (req, res) => {
      const { id } = parseInput(s.idParams, req.params, 'params');
      const body = parseInput(s.updateBody, req.body, 'body');
      res.json(subscriptionJson(await updateSubscription(ctx, id, body)));
    });

    router.delete(api.deleteWebhook.path, admin, async (req, res) => {
      const { id } = parseInput(s.idParams, req.params, 'params');
      await deleteSubscription(ctx, id);
      res.status(204).end();
    });

    router.post(api.rotateWebhookSecret.path, admin, async (req, res) => {
      const { id } = parseInput(s.idParams, req.params, 'params');
      const body = parseInput(s.rotateBody, req.body ?? {}, 'body');
      const { row, secret } = await rotateSecret(ctx, id, body.overlapSeconds);
      res.json({ ...subscriptionJson(row), secret });
    });

    router.get(api.listWebhookDeliveries.path, admin, async (req, res) => {
      const { id } = parseInput(s.idParams, req.params, 'params');
      const q = parseInput(s.deliveriesQuery, req.query, 'query');
      const before = decodeCursor(cursorSchema, q.cursor);
      const page = await listDeliveries(ctx, {
        subscriptionId: id,
        beforeSeq: before?.seq,
        status: q.status,
        limit: q.limit,
      });
      res.json({
        items: page.items.map(deliveryJson),
        nextCursor: page.nextSeq === null ? null : encodeCursor({ seq: page.nextSeq }),
      });
    });

    router.post(api.replayWebhookDelivery.path, admin, async (req, res) => {
      const { id, deliveryId } = parseInput(s.deliveryParams, req.params, 'params');
      res.status(202).json(deliveryJson(await replayDelivery(ctx, id, deliveryId)));
    });
  };
}
