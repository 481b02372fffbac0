import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToCart } from '../commerce/cart/index.ts';
import { type ActorKind, type OrderAction, orderActions, placeOrders } from '../commerce/orders/index.ts';
import { applyTransition } from '../commerce/orders/orders.ts';
import { db, type OrderStatus } from '../core/db/index.ts';
import { ConflictError, ForbiddenError } from '../core/errors.ts';
import { apiClient, type TestUser, userWithRole } from './accounts.ts';
import { startApi } from './http.ts';
import { merchantWithListings, shopperWithAddress } from './shop-world.ts';
import { closeConnections } from './support.ts';

/**
 * The order state machine, edge by edge, on a real order in Postgres: every allowed transition
 * happens and is recorded; every other pair of state and action is refused, with 409 when
 * nobody may do it from that state and 403 when only someone else may.
 */
const statuses: OrderStatus[] = [
  'pending_payment',
  'paid',
  'shipped',
  'delivered',
  'completed',
  'cancelled',
  'return_requested',
  'refunding',
  'refunded',
];
const actors: ActorKind[] = ['shopper', 'merchant', 'staff', 'system'];

/** The machine as the issue describes it, written out independently of commerce/orders/state.ts. */
const allowed: Array<[OrderStatus, OrderAction, ActorKind[], OrderStatus]> = [
  ['pending_payment', 'pay', ['system'], 'paid'],
  ['pending_payment', 'cancel', ['shopper', 'merchant', 'staff', 'system'], 'cancelled'],
  // The system cancels (and refunds) a paid order whose group buy did not fill.
  ['paid', 'cancel', ['merchant', 'staff', 'system'], 'cancelled'],
  ['paid', 'ship', ['merchant', 'staff'], 'shipped'],
  ['shipped', 'deliver', ['shopper', 'merchant', 'staff', 'system'], 'delivered'],
  ['delivered', 'complete', ['shopper', 'staff', 'system'], 'completed'],
  ['delivered', 'request_return', ['shopper'], 'return_requested'],
  ['completed', 'request_return', ['shopper'], 'return_requested'],
  ['return_requested', 'approve_return', ['merchant', 'staff'], 'refunding'],
  // Refusing a return goes back to where the order was when it was asked for (delivered here).
  ['return_requested', 'reject_return', ['merchant', 'staff'], 'delivered'],
  ['refunding', 'refund_done', ['system'], 'refunded'],
];

let orderId: string;
let users: Record<Exclude<ActorKind, 'system'>, TestUser>;
let api: Awaited<ReturnType<typeof startApi>>;

beforeAll(async () => {
  api = await startApi();
  const merchant = await merchantWithListings([{ title: 'State Kettle', price: '20.00' }]);
  const shopper = await shopperWithAddress();
  await addToCart({ userId: shopper.id }, { productId: merchant.listings[0]!.id, quantity: 1 });
  const placed = await placeOrders(shopper, `states-${randomUUID()}`, { addressId: shopper.addressId });
  orderId = placed.orderIds[0]!;
  users = { shopper, merchant, staff: await userWithRole('admin') };
});

afterAll(async () => {
  await api.close();
  await closeConnections();
});

/** Puts the order in a state (test setup only), with a history that says how it got there. */
async function setStatus(status: OrderStatus): Promise<void> {
  await db().orderEvent.deleteMany({ where: { orderId } });
  await db().orderEvent.create({
    data: { orderId, fromStatus: 'delivered', toStatus: status, actorRole: 'system' },
  });
  await db().order.update({ where: { id: orderId }, data: { status } });
}

function attempt(action: OrderAction, actor: ActorKind) {
  const input = { carrier: 'SF Express', trackingNumber: 'SF1234567890', reason: 'it arrived broken' };
  return db().$transaction((tx) =>
    applyTransition(
      tx,
      orderId,
      action,
      { kind: actor, userId: actor === 'system' ? null : users[actor].id },
      input,
    ),
  );
}

describe('order state machine', () => {
  for (const status of statuses) {
    for (const action of orderActions) {
      it(`${status} —${action}→`, async () => {
        const edge = allowed.find(([from, a]) => from === status && a === action);
        for (const actor of actors) {
          await setStatus(status);
          const outcome = await attempt(action, actor).then(
            (result) => result,
            (error: unknown) => error,
          );
          if (edge?.[2].includes(actor)) {
            expect(outcome, `${actor}`).toMatchObject({ from: status, to: edge[3] });
            const order = await db().order.findUniqueOrThrow({ where: { id: orderId } });
            expect(order.status).toBe(edge[3]);
            const event = await db().orderEvent.findFirstOrThrow({
              where: { orderId },
              orderBy: { id: 'desc' },
            });
            expect(event).toMatchObject({ fromStatus: status, toStatus: edge[3], actorRole: actor });
          } else if (edge) {
            expect(outcome, `${actor} may not`).toBeInstanceOf(ForbiddenError);
            expect((await db().order.findUniqueOrThrow({ where: { id: orderId } })).status).toBe(status);
          } else {
            expect(outcome, `${actor} from ${status}`).toBeInstanceOf(ConflictError);
            expect((await db().order.findUniqueOrThrow({ where: { id: orderId } })).status).toBe(status);
          }
        }
      });
    }
  }

  it('answers 409 through the API for an illegal move, and 403 for someone else’s', async () => {
    await setStatus('cancelled');
    const ship = await apiClient(api.url, users.merchant.token)(`/api/v1/orders/${orderId}/ship`, {
      method: 'POST',
      body: JSON.stringify({ carrier: 'SF', trackingNumber: 'SF123' }),
    });
    expect(ship.status).toBe(409);
    expect(((await ship.json()) as { error: string }).error).toMatch(/is cancelled: it cannot be shipped/);
    await setStatus('paid');
    const byShopper = await apiClient(api.url, users.shopper.token)(`/api/v1/orders/${orderId}/ship`, {
      method: 'POST',
      body: JSON.stringify({ carrier: 'SF', trackingNumber: 'SF123' }),
    });
    expect(byShopper.status).toBe(403);
    const stranger = await userWithRole('shopper');
    const notTheirs = await apiClient(api.url, stranger.token)(`/api/v1/orders/${orderId}/cancel`, {
      method: 'POST',
      body: '{}',
    });
    expect(notTheirs.status).toBe(404);
  });

  it('needs a carrier and tracking number to ship, and a reason to return', async () => {
    await setStatus('paid');
    const error = await db()
      .$transaction((tx) =>
        applyTransition(tx, orderId, 'ship', { kind: 'merchant', userId: users.merchant.id }, {}),
      )
      .catch((e: unknown) => e);
    expect((error as { issues: Array<{ path: string }> }).issues.map((i) => i.path)).toEqual([
      'carrier',
      'trackingNumber',
    ]);
    await setStatus('delivered');
    await expect(
      db().$transaction((tx) =>
        applyTransition(tx, orderId, 'request_return', { kind: 'shopper', userId: users.shopper.id }, {}),
      ),
    ).rejects.toThrow(/why you are returning/);
  });
});
