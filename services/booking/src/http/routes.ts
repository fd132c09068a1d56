/** HTTP routes of the booking service: parse, authorise, call one flow, map the result. */
import type { Response, Router } from 'express';
import { bookingApi, Unavailable } from '@midas/contracts';
import {
  idempotencyScope,
  mount,
  readIdempotencyKey,
  runIdempotent,
  runIdempotentFolded,
  sendProblem,
  subjectOf,
  type Principal,
  type Problem,
  type StoredResponse,
} from '@midas/http';
import { foldedIdempotencyStore, idempotencyStore, keyRecord } from '../db/idempotency-keys';
import { findStanding } from '../db/customers';
import { paymentsOf } from '../db/payments';
import type { BookingRow, ConciergeRow } from '../db/schema';
import type { CustomerStanding } from '../domain';
import { cancelBooking } from '../flows/cancel-booking';
import { changeStatus } from '../flows/change-status';
import { confirmLocalPayment } from '../flows/confirm-local-payment';
import { createBooking, type CreatedBooking } from '../flows/create-booking';
import type { Caller, FlowContext } from '../flows/context';
import { findVisibleBooking } from '../flows/find-visible-booking';
import { listVisibleBookings } from '../flows/list-bookings';
import { addConcierge, changeConcierge, pageConcierges } from '../flows/manage-concierges';
import { assignByHand } from '../flows/assign-by-hand';
import { eraseBooking, eraseCustomer } from '../flows/erase-personal-data';
import { readProfile, writeProfile } from '../flows/customer-profile';
import { modifyBooking, RETRY_AFTER_SECONDS } from '../flows/modify-booking';
import { readHistory } from '../flows/read-history';
import { bookingReplaySecrets } from '../flows/replay-secrets';
import { summarizeAnalytics } from '../flows/summarize-analytics';
import { bookingView, pendingChangeView } from './booking-view';

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
    completedBookings: s?.completedBookings ?? 0,
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

const api = bookingApi;

/** What the booking routes share: the flows' context, the booking view, Idempotency-Key replays. */
function routeKit(deps: FlowContext) {
  return {
    deps,
    view: async (b: BookingRow) =>
      bookingView(b, await paymentsOf(deps.db, b.id), { depositLeadHours: deps.depositLeadHours }),
    callerOf: (principal: Principal, query: { accessToken?: string }): Caller => ({
      principal,
      accessToken: query.accessToken,
    }),
    store: idempotencyStore(deps.db),
    folded: foldedIdempotencyStore(deps.db),
    secrets: bookingReplaySecrets(deps),
  };
}

type RouteKit = ReturnType<typeof routeKit>;

export function bookingRoutes(deps: FlowContext) {
  const kit = routeKit(deps);
  return (router: Router) => {
    createRoutes(router, kit);
    readRoutes(router, kit);
    staffRoutes(router, kit);
  };
}

/**
 * Making a booking (Idempotency-Key aware). The answer is built from the rows the creation wrote,
 * so it reads nothing back; with a key and the claims of the jobs' Redis, the key is stored by
 * the creation's own transactions (with the booking, then with the payment's reference).
 */
function createRoutes(router: Router, { deps, store, folded, secrets }: RouteKit): void {
  const respond = (created: CreatedBooking): StoredResponse => {
    const { booking, payment, deposit } = created;
    const rows = deposit ? [payment, deposit] : [payment];
    return {
      status: 201,
      body: {
        ...bookingView(booking, rows, { depositLeadHours: deps.depositLeadHours }),
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
  mount(router, api.create, async ({ body, principal }, req, res) => {
    const caller: Caller = { principal, clientIp: req.ip };
    const key = readIdempotencyKey(req);
    const scope = idempotencyScope('create-booking', req, body.holdToken);
    const request = { scope, key: key ?? '', request: body };
    let stored: StoredResponse;
    if (!key) stored = respond(await createBooking(deps, caller, body, crypto.randomUUID()));
    else if (deps.claims) {
      stored = await runIdempotentFolded(
        folded,
        deps.claims,
        request,
        async (attempt) =>
          respond(
            await createBooking(
              deps,
              caller,
              body,
              attempt.resourceId,
              attempt.takeover,
              keyRecord(attempt, respond),
            ),
          ),
        secrets,
      );
    } else {
      const run = async (id: string, takeover: boolean) =>
        respond(await createBooking(deps, caller, body, id, takeover));
      stored = await runIdempotent(store, request, run, secrets);
    }
    if (stored.status === 201)
      res.setHeader('Location', `/v1/bookings/${(stored.body as { id: string }).id}`);
    send(res, stored);
  });
}

/** Lists, one booking, changes, status, cancellation and history. */
function readRoutes(router: Router, { deps, view, callerOf, store, secrets }: RouteKit): void {
  mount(router, api.list, async ({ query, principal }, _req, res) => {
    const page = await listVisibleBookings(deps, principal, query);
    res.json({ items: await Promise.all(page.items.map(view)), nextCursor: page.nextCursor });
  });

  mount(router, api.mine, async ({ query, principal }, _req, res) => {
    const page = await listVisibleBookings(deps, principal, query, true);
    res.json({ items: await Promise.all(page.items.map(view)), nextCursor: page.nextCursor });
  });

  mount(router, api.get, async ({ params, query, principal }, _req, res) => {
    const { booking } = await findVisibleBooking(deps.db, params.id, callerOf(principal, query));
    const admin = principal.role === 'admin' || principal.role === 'super_admin';
    res.json(
      bookingView(booking, await paymentsOf(deps.db, booking.id), {
        admin,
        depositLeadHours: deps.depositLeadHours,
      }),
    );
  });

  mount(router, api.modify, async ({ params, query, body, principal }, _req, res) => {
    const result = await modifyBooking(deps, callerOf(principal, query), params.id, body).catch(
      (err: unknown) => {
        // A refused change may be retried as is: say when.
        if (err instanceof Unavailable) res.set('Retry-After', String(RETRY_AFTER_SECONDS));
        throw err;
      },
    );
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
  });

  mount(router, api.changeStatus, async ({ params, query, body, principal }, _req, res) => {
    res.json(await view(await changeStatus(deps, callerOf(principal, query), params.id, body)));
  });

  mount(router, api.cancel, async ({ params: { id }, query, body, principal }, req, res) => {
    const run = async (): Promise<StoredResponse> => ({
      status: 200,
      body: await view(await cancelBooking(deps, callerOf(principal, query), id, body)),
    });
    const key = readIdempotencyKey(req);
    const scope = idempotencyScope(`cancel-booking:${id}`, req, query.accessToken);
    send(res, key ? await runIdempotent(store, { scope, key, request: body }, run, secrets) : await run());
  });

  mount(router, api.history, async ({ params, query, principal }, _req, res) => {
    res.json(await readHistory(deps, callerOf(principal, query), params.id, query));
  });
}

/** Analytics, local payments, profiles, assignment, erasure, concierges and loyalty. */
function staffRoutes(router: Router, { deps, view, callerOf }: RouteKit): void {
  mount(router, api.analytics, async ({ query }, _req, res) => {
    res.json(await summarizeAnalytics(deps, query));
  });

  mount(router, api.confirmLocalPayment, async ({ params, query, principal }, _req, res) => {
    const { booking, payments } = await confirmLocalPayment(
      deps,
      callerOf(principal, query),
      params.bookingId,
    );
    res.json(bookingView(booking, payments, { depositLeadHours: deps.depositLeadHours }));
  });

  mount(router, api.getProfile, async ({ principal }, _req, res) => {
    res.json(await readProfile(deps, principal));
  });

  mount(router, api.putProfile, async ({ body, principal }, _req, res) => {
    res.json(await writeProfile(deps, { ...principal, sub: subjectOf(principal) }, body));
  });

  mount(router, api.assign, async ({ params, body, principal }, _req, res) => {
    res.json(await view(await assignByHand(deps, { principal }, params.id, body)));
  });

  mount(router, api.eraseBooking, async ({ params, principal }, _req, res) => {
    await eraseBooking(deps, { principal }, params.id);
    res.status(204).end();
  });

  mount(router, api.eraseCustomer, async ({ params, principal }, _req, res) => {
    await eraseCustomer(deps, { principal }, params.id);
    res.status(204).end();
  });

  mount(router, api.createConcierge, async ({ body }, _req, res) => {
    res.status(201).json(conciergeView(await addConcierge(deps, body)));
  });

  mount(router, api.listConcierges, async ({ query }, _req, res) => {
    const page = await pageConcierges(deps, query);
    res.json({ items: page.items.map(conciergeView), nextCursor: page.nextCursor });
  });

  mount(router, api.updateConcierge, async ({ params, body }, _req, res) => {
    res.json(conciergeView(await changeConcierge(deps, params.id, body)));
  });

  mount(router, api.myLoyalty, async ({ principal }, _req, res) => {
    const sub = subjectOf(principal);
    res.json(standingView(sub, await findStanding(deps.db, sub)));
  });

  mount(router, api.getCustomer, async ({ params }, _req, res) => {
    res.json(standingView(params.id, await findStanding(deps.db, params.id)));
  });
}
