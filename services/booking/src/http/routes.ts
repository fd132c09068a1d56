/** HTTP routes of the booking service: parse, authorise, call one flow, map the result. */
import type { Request, Response, Router } from 'express';
import { bookingApi, Unauthenticated, Unavailable, ValidationFailed, type ApiRoute } from '@midas/contracts';
import { parseInput, requireRole, sendProblem, type Problem } from '@midas/http';
import type { z } from 'zod';
import { findStanding } from '../db/customers';
import { paymentsOf } from '../db/payments';
import type { BookingRow, ConciergeRow } from '../db/schema';
import type { CustomerStanding } from '../domain';
import { cancelBooking } from '../flows/cancel-booking';
import { changeStatus } from '../flows/change-status';
import { confirmLocalPayment } from '../flows/confirm-local-payment';
import { createBooking } from '../flows/create-booking';
import type { Caller, FlowDeps } from '../flows/deps';
import { findVisibleBooking } from '../flows/find-visible-booking';
import { listVisibleBookings } from '../flows/list-bookings';
import { addConcierge, changeConcierge, pageConcierges } from '../flows/manage-concierges';
import { assignByHand } from '../flows/assign-by-hand';
import { readProfile, writeProfile } from '../flows/customer-profile';
import { modifyBooking, RETRY_AFTER_SECONDS } from '../flows/modify-booking';
import { readHistory } from '../flows/read-history';
import { runIdempotent, type StoredResponse } from '../flows/run-idempotent';
import { summarizeAnalytics } from '../flows/summarize-analytics';
import { bookingView, pendingChangeView } from './booking-view';

type Handler = (req: Request, res: Response) => Promise<void>;

/** Express 5 forwards rejected promises to the error handler; this only keeps handlers typed. */
function route(handler: Handler): Handler {
  return handler;
}

function input<R extends ApiRoute, K extends 'params' | 'query' | 'body'>(
  r: R,
  part: K,
  req: Request,
): z.output<NonNullable<R[K]> & z.ZodType> {
  return parseInput(r[part] as z.ZodType, req[part], part) as z.output<NonNullable<R[K]> & z.ZodType>;
}

function idempotencyKey(req: Request): string | undefined {
  const key = req.get('Idempotency-Key');
  if (key === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new ValidationFailed('Invalid header: Idempotency-Key', [
      { field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters', in: 'header' },
    ]);
  }
  return key;
}

function principalKey(req: Request): string {
  return req.principal.sub ? `${req.principal.role}:${req.principal.sub}` : 'guest';
}

function send(res: Response, stored: StoredResponse): void {
  if (stored.status >= 400) sendProblem(res, stored.body as Problem);
  else res.status(stored.status).json(stored.body);
}

function standingView(id: string, s: CustomerStanding | undefined) {
  return {
    id,
    tier: s?.tier ?? 'standard',
    points: s?.points ?? 0,
    lifetimeValues: Object.entries(s?.lifetimeValues ?? {}).map(([currency, amount]) => ({
      currency,
      amount,
    })),
  };
}

function conciergeView(c: ConciergeRow) {
  return {
    id: c.id,
    name: c.name,
    email: c.email,
    location: c.location,
    capacity: c.capacity,
    active: c.active,
    activeAssignments: c.activeAssignments,
    createdAt: c.createdAt.toISOString(),
  };
}

export function bookingRoutes(deps: FlowDeps) {
  const api = bookingApi;
  const view = async (b: BookingRow) => bookingView(b, await paymentsOf(deps.db, b.id));
  const callerOf = (req: Request, query: { accessToken?: string }): Caller => ({
    principal: req.principal,
    accessToken: query.accessToken,
  });

  return (router: Router) => {
    router.post(
      api.create.path,
      route(async (req, res) => {
        const body = input(api.create, 'body', req);
        const caller: Caller = { principal: req.principal, clientIp: req.ip };
        const run = async (bookingId: string, takeover: boolean): Promise<StoredResponse> => {
          const created = await createBooking(deps, caller, body, bookingId, takeover);
          const payment = created.payment;
          return {
            status: 201,
            body: {
              ...(await view(created.booking)),
              payment: {
                provider: payment.provider,
                status: payment.status,
                amount: payment.amount,
                clientSecret: payment.clientSecret ?? undefined,
              },
              accessToken: created.accessToken,
            },
          };
        };
        const key = idempotencyKey(req);
        const stored = key
          ? await runIdempotent(
              deps.db,
              { scope: `create-booking|${principalKey(req)}`, key, request: body },
              run,
            )
          : await run(crypto.randomUUID(), false);
        if (stored.status === 201)
          res.setHeader('Location', `/v1/bookings/${(stored.body as { id: string }).id}`);
        send(res, stored);
      }),
    );

    router.get(
      api.list.path,
      route(async (req, res) => {
        const query = input(api.list, 'query', req);
        const page = await listVisibleBookings(deps, req.principal, query);
        res.json({ items: await Promise.all(page.items.map(view)), nextCursor: page.nextCursor });
      }),
    );

    router.get(
      api.mine.path,
      route(async (req, res) => {
        const query = input(api.mine, 'query', req);
        if (!req.principal.sub) throw new Unauthenticated('Sign in to see your bookings');
        const page = await listVisibleBookings(deps, req.principal, query, true);
        res.json({ items: await Promise.all(page.items.map(view)), nextCursor: page.nextCursor });
      }),
    );

    router.get(
      api.get.path,
      route(async (req, res) => {
        const { id } = input(api.get, 'params', req);
        const query = input(api.get, 'query', req);
        const { booking } = await findVisibleBooking(deps.db, id, callerOf(req, query));
        res.json(await view(booking));
      }),
    );

    router.patch(
      api.modify.path,
      route(async (req, res) => {
        const { id } = input(api.modify, 'params', req);
        const query = input(api.modify, 'query', req);
        const body = input(api.modify, 'body', req);
        const result = await modifyBooking(deps, callerOf(req, query), id, body).catch((err: unknown) => {
          // A refused change may be retried as is: say when.
          if (err instanceof Unavailable) res.set('Retry-After', String(RETRY_AFTER_SECONDS));
          throw err;
        });
        if (result.kind === 'pending') {
          res.status(202).json(pendingChangeView(result.change, result.payment, await view(result.booking)));
          return;
        }
        res.json({
          ...(await view(result.booking)),
          settlement: {
            kind: result.settlement.kind,
            amount: result.settlement.kind === 'none' ? 0 : result.settlement.amount,
          },
        });
      }),
    );

    router.post(
      api.changeStatus.path,
      route(async (req, res) => {
        const { id } = input(api.changeStatus, 'params', req);
        const query = input(api.changeStatus, 'query', req);
        const body = input(api.changeStatus, 'body', req);
        res.json(await view(await changeStatus(deps, callerOf(req, query), id, body)));
      }),
    );

    router.post(
      api.cancel.path,
      route(async (req, res) => {
        const { id } = input(api.cancel, 'params', req);
        const query = input(api.cancel, 'query', req);
        const body = input(api.cancel, 'body', req);
        const run = async (): Promise<StoredResponse> => ({
          status: 200,
          body: await view(await cancelBooking(deps, callerOf(req, query), id, body)),
        });
        const key = idempotencyKey(req);
        send(
          res,
          key
            ? await runIdempotent(
                deps.db,
                { scope: `cancel-booking:${id}|${principalKey(req)}`, key, request: body },
                run,
              )
            : await run(),
        );
      }),
    );

    router.get(
      api.history.path,
      route(async (req, res) => {
        const { id } = input(api.history, 'params', req);
        const query = input(api.history, 'query', req);
        res.json(await readHistory(deps, callerOf(req, query), id, query));
      }),
    );

    router.get(
      api.analytics.path,
      requireRole('admin'),
      route(async (req, res) => {
        res.json(await summarizeAnalytics(deps, input(api.analytics, 'query', req)));
      }),
    );

    router.post(
      api.confirmLocalPayment.path,
      route(async (req, res) => {
        const { bookingId } = input(api.confirmLocalPayment, 'params', req);
        const query = input(api.confirmLocalPayment, 'query', req);
        res.json(await view(await confirmLocalPayment(deps, callerOf(req, query), bookingId)));
      }),
    );

    router.post(
      api.assign.path,
      requireRole('admin'),
      route(async (req, res) => {
        const { id } = input(api.assign, 'params', req);
        const body = input(api.assign, 'body', req);
        res.json(await view(await assignByHand(deps, { principal: req.principal }, id, body)));
      }),
    );

    router.post(
      api.createConcierge.path,
      requireRole('super_admin'),
      route(async (req, res) => {
        const created = await addConcierge(deps, input(api.createConcierge, 'body', req));
        res.status(201).json(conciergeView(created));
      }),
    );

    router.get(
      api.listConcierges.path,
      requireRole('super_admin'),
      route(async (req, res) => {
        const page = await pageConcierges(deps, input(api.listConcierges, 'query', req));
        res.json({ items: page.items.map(conciergeView), nextCursor: page.nextCursor });
      }),
    );

    router.patch(
      api.updateConcierge.path,
      requireRole('super_admin'),
      route(async (req, res) => {
        const { id } = input(api.updateConcierge, 'params', req);
        res.json(conciergeView(await changeConcierge(deps, id, input(api.updateConcierge, 'body', req))));
      }),
    );

    router.get(
      api.myLoyalty.path,
      route(async (req, res) => {
        if (!req.principal.sub) throw new Unauthenticated('Sign in to see your loyalty standing');
        res.json(standingView(req.principal.sub, await findStanding(deps.db, req.principal.sub)));
      }),
    );

    router.get(
      api.getProfile.path,
      requireRole('customer'),
      route(async (req, res) => {
        res.json(await readProfile(deps, req.principal));
      }),
    );

    router.put(
      api.putProfile.path,
      requireRole('customer'),
      route(async (req, res) => {
        const body = input(api.putProfile, 'body', req);
        if (!req.principal.sub) throw new Unauthenticated('Sign in to set your profile');
        res.json(await writeProfile(deps, { ...req.principal, sub: req.principal.sub }, body));
      }),
    );

    router.get(
      api.getCustomer.path,
      requireRole('admin'),
      route(async (req, res) => {
        const { id } = input(api.getCustomer, 'params', req);
        res.json(standingView(id, await findStanding(deps.db, id)));
      }),
    );
  };
}
