/** Admin routes over refunds: the list (`?status=dead_lettered` is the staff's work list) and the retry or resolution of a dead-lettered refund. */
import type { Router } from 'express';
import { refundApi as api } from '@midas/contracts';
import { mount } from '@midas/http';
import { actorOf, type FlowContext } from '../flows/context';
import { listRefundPage } from '../flows/list-refunds';
import { resolveRefund } from '../flows/resolve-refund';
import { retryRefund } from '../flows/retry-refund';
import { refundView } from './refund-view';

export function refundRoutes(deps: FlowContext) {
  return (router: Router) => {
    mount(router, api.listRefunds, async ({ query }, _req, res) => {
      const page = await listRefundPage(deps, query);
      res.json({
        items: page.items.map(({ refund, lastFailure }) => refundView(refund, lastFailure)),
        nextCursor: page.nextCursor,
      });
    });

    mount(router, api.retryRefund, async ({ params, body, principal }, _req, res) => {
      res.json(refundView(await retryRefund(deps, actorOf({ principal }), params.id, body.reason)));
    });

    mount(router, api.resolveRefund, async ({ params, body, principal }, _req, res) => {
      const refund = await resolveRefund(deps, actorOf({ principal }), params.id, body.outcome, body.reason);
      res.json(refundView(refund));
    });
  };
}
