import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  actionInputSchema,
  actOnOrder,
  getOrderFor,
  listOrders,
  type OrderAction,
  orderListSchema,
  payInputSchema,
  payOrder,
  placeInputSchema,
  placeOrders,
  quoteCheckout,
  quoteInputSchema,
  syncPayment,
} from '../commerce/orders/index.ts';
import { getPayment, paymentView } from '../commerce/payments/index.ts';
import { config } from '../core/config.ts';
import { NotFoundError } from '../core/errors.ts';
import { access, secureRoute } from './access.ts';
import { costlyWrite } from './admission.ts';
import type { AppEnv } from './env.ts';
import { validationHook } from './errors.ts';
import { errorResponse, idParam, isoDate, json, jsonBody, plain } from './openapi.ts';

const money = z.string().describe('decimal amount in the currency, e.g. "12.30"');

const quoteSchema = z
  .object({
    addressId: z.string(),
    groups: z.array(
      z.object({
        key: z.string().describe('merchantId:currency; choose a shipping method per key'),
        merchantId: z.string(),
        merchantName: z.string(),
        currency: z.string(),
        lines: z.array(
          z.object({
            productId: z.string(),
            title: z.string(),
            quantity: z.number(),
            unitPrice: money,
            lineTotal: money,
            weightG: z.number(),
          }),
        ),
        weightG: z.number(),
        itemsTotal: money,
        breakdown: z
          .record(z.string(), z.unknown())
          .describe(
            'line by line: each line’s price and every discount’s share (lines), what applied and by how much (applied), what did not and why (notApplied), points used',
          ),
        discountTotal: money,
        shippingOptions: z.array(
          z.object({
            methodId: z.string(),
            name: z.string(),
            kind: z.string(),
            available: z.boolean(),
            fee: money.nullable(),
            note: z.string().nullable(),
          }),
        ),
        shippingMethodId: z.string().nullable(),
        shippingFee: money.nullable(),
        total: money.nullable(),
      }),
    ),
    excluded: z.array(z.object({ productId: z.string(), title: z.string(), reason: z.string() })),
    coupon: z
      .object({ code: z.string(), groupKey: z.string().nullable(), error: z.string().nullable() })
      .nullable()
      .describe('the code entered: the order it went to, or why it cannot be used'),
    points: z.object({
      available: z.number(),
      requested: z.number(),
      used: z.number(),
      perUnit: z.number().describe('points that make 1.00'),
      maxPercent: z.number().describe('the most of an order’s items points may pay'),
    }),
    member: z.object({ tier: z.string(), name: z.string() }),
    digest: z
      .string()
      .describe('send it with the order: if anything changed since, the order is refused (409)'),
  })
  .openapi('CheckoutQuote');

export const orderSchema = z
  .object({
    id: z.string(),
    number: z.string(),
    status: z.string(),
    currency: z.string(),
    itemsTotal: money,
    shippingFee: money,
    discountTotal: money,
    total: money,
    paidAmount: money,
    refundedAmount: money,
    paymentMethod: z.string().nullable(),
    shipping: z.object({
      name: z.string(),
      kind: z.string(),
      carrier: z.string().nullable(),
      trackingNumber: z.string().nullable(),
    }),
    address: z.record(z.string(), z.unknown()),
    merchant: z.object({ id: z.string(), name: z.string() }),
    shopper: z.object({ id: z.string(), email: z.string(), name: z.string().nullable() }),
    paymentDeadline: isoDate,
    returnReason: z.string().nullable(),
    cancelReason: z.string().nullable(),
    createdAt: isoDate,
    lines: z.array(
      z.object({
        productId: z.string().nullable(),
        title: z.string(),
        sku: z.string().nullable(),
        url: z.string(),
        imageUrl: z.string().nullable(),
        unitPrice: money,
        quantity: z.number(),
        lineTotal: money,
      }),
    ),
    timeline: z.array(
      z.object({
        from: z.string().nullable(),
        to: z.string(),
        by: z.string(),
        note: z.string().nullable(),
        at: isoDate,
      }),
    ),
    actions: z.array(z.string()).describe('what the caller may do with the order now'),
    viewer: z.string(),
  })
  .passthrough()
  .openapi('Order');

const summarySchema = z.object({
  id: z.string(),
  number: z.string(),
  status: z.string(),
  currency: z.string(),
  total: money,
  items: z.number(),
  merchantName: z.string(),
  shopperEmail: z.string(),
  createdAt: isoDate,
});
const pageSchema = z.object({
  items: z.array(summarySchema),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});

export const paymentSchema = z
  .object({
    id: z.string(),
    outTradeNo: z.string(),
    purpose: z.string(),
    orderId: z.string().nullable(),
    method: z.string(),
    amount: money,
    currency: z.string(),
    status: z.string(),
    action: z
      .union([
        z.object({ kind: z.literal('redirect'), url: z.string() }),
        z.object({ kind: z.literal('qr'), codeUrl: z.string() }),
      ])
      .nullable()
      .describe('what the browser does next: go to the provider, or show the QR code'),
    refundedAmount: money,
    expiresAt: isoDate,
    paidAt: isoDate.nullable(),
    createdAt: isoDate,
  })
  .openapi('Payment');

/** Where providers notify and where the shopper's browser comes back to, as this server is reached. */
export function paymentUrls(c: Context, returnPath: string) {
  const origin = config().PUBLIC_URL?.replace(/\/$/, '') ?? new URL(c.req.url).origin;
  return { notifyBase: `${origin}/api/v1/payments/notify`, returnUrl: `${origin}${returnPath}` };
}

const actions: Array<[string, OrderAction, string]> = [
  [
    'cancel',
    'cancel',
    'Cancel: the shopper before payment; the merchant or staff before shipping (what was paid is refunded)',
  ],
  ['ship', 'ship', 'Ship with a carrier and tracking number (merchant, staff)'],
  ['deliver', 'deliver', 'Mark delivered (the shopper confirms receipt, or the merchant or staff)'],
  ['complete', 'complete', 'Complete a delivered order (the shopper, or staff)'],
  ['return', 'request_return', 'Ask to return a delivered order, with a reason (the shopper)'],
  [
    'approve-return',
    'approve_return',
    'Approve a return: the refund goes back through the original payment method (merchant, staff)',
  ],
  ['reject-return', 'reject_return', 'Refuse a return (merchant, staff)'],
];

/** Checkout, orders for shoppers, merchants and staff, and paying an order. */
export function orderRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const shopper = access.anyOf('orders:place');

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/checkout/quote',
      tags: ['checkout'],
      summary:
        'Price the cart (or the `items` to buy now) for an address: orders per merchant and currency, shipping options with fees, totals',
      access: shopper,
      request: jsonBody(quoteInputSchema),
      responses: { 200: json(quoteSchema, 'The quote'), 404: errorResponse('No such address') },
    }),
    async (c) =>
      c.json(
        plain(await quoteCheckout(c.get('principal').user!.id, c.req.valid('json'))) as z.infer<
          typeof quoteSchema
        >,
        200,
      ),
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/checkout/orders',
      tags: ['checkout'],
      summary: 'Place the orders of the cart, or of the `items` to buy now (one per merchant and currency)',
      description:
        'Needs an `Idempotency-Key` header: repeating the request with the same key returns the same orders (200) instead of new ones. Prices and availability are checked again now; prices sent by the client are never used.',
      access: shopper,
      middleware: [costlyWrite()],
      request: {
        headers: z.object({ 'idempotency-key': z.string().min(8).max(100) }),
        ...jsonBody(placeInputSchema),
      },
      responses: {
        201: json(z.object({ checkoutId: z.string(), orders: z.array(orderSchema) }), 'Placed'),
        200: json(
          z.object({ checkoutId: z.string(), orders: z.array(orderSchema) }),
          'Placed before with this key',
        ),
        400: errorResponse('Nothing to buy, no shipping to that address, or invalid input'),
        409: errorResponse(
          'Prices or availability changed since the quote, or the key was used for another order',
        ),
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      const placed = await placeOrders(
        principal.user!,
        c.req.valid('header')['idempotency-key'],
        c.req.valid('json'),
      );
      const orders = await Promise.all(placed.orderIds.map((id) => getOrderFor(principal, id)));
      return c.json(
        { checkoutId: placed.checkoutId, orders: plain(orders) as Array<z.infer<typeof orderSchema>> },
        placed.created ? 201 : 200,
      );
    },
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/orders',
      tags: ['orders'],
      summary: 'My orders, newest first',
      access: shopper,
      request: { query: orderListSchema },
      responses: { 200: json(pageSchema, 'Orders') },
    }),
    async (c) =>
      c.json(
        plain(await listOrders(c.get('principal'), 'mine', c.req.valid('query'))) as z.infer<
          typeof pageSchema
        >,
        200,
      ),
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/merchant/orders',
      tags: ['orders'],
      summary: 'Orders of my shops (merchants), filtered by status, dates, amount and number',
      access: access.anyOf('orders:read:own'),
      request: { query: orderListSchema },
      responses: { 200: json(pageSchema, 'Orders') },
    }),
    async (c) =>
      c.json(
        plain(await listOrders(c.get('principal'), 'merchant', c.req.valid('query'))) as z.infer<
          typeof pageSchema
        >,
        200,
      ),
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/admin/orders',
      tags: ['orders'],
      summary: 'Every order, filtered by status, dates, merchant, amount and number',
      access: access.anyOf('orders:read'),
      request: { query: orderListSchema },
      responses: { 200: json(pageSchema, 'Orders') },
    }),
    async (c) =>
      c.json(
        plain(await listOrders(c.get('principal'), 'all', c.req.valid('query'))) as z.infer<
          typeof pageSchema
        >,
        200,
      ),
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/orders/{id}',
      tags: ['orders'],
      summary: 'An order with its lines and timeline (its shopper, its merchant, staff)',
      access: access.anyOf('orders:place', 'orders:read:own', 'orders:read'),
      request: { params: idParam },
      responses: { 200: json(orderSchema, 'The order'), 404: errorResponse('No such order') },
    }),
    async (c) =>
      c.json(
        plain(await getOrderFor(c.get('principal'), c.req.valid('param').id)) as z.infer<typeof orderSchema>,
        200,
      ),
  );

  for (const [path, action, summary] of actions) {
    app.openapi(
      secureRoute({
        method: 'post',
        path: `/orders/{id}/${path}`,
        tags: ['orders'],
        summary,
        access: access.anyOf('orders:place', 'orders:ship'),
        request: {
          params: idParam,
          body: { content: { 'application/json': { schema: actionInputSchema } }, required: false },
        },
        responses: {
          200: json(orderSchema, 'The order after the change'),
          403: errorResponse('Someone else’s move (a shopper cannot ship)'),
          404: errorResponse('No such order'),
          409: errorResponse('Not allowed from the order’s state (shipping a cancelled order)'),
        },
      }),
      async (c) => {
        const body = await c.req.json().catch(() => ({}));
        return c.json(
          plain(await actOnOrder(c.get('principal'), c.req.valid('param').id, action, body)) as z.infer<
            typeof orderSchema
          >,
          200,
        );
      },
    );
  }

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/orders/{id}/pay',
      tags: ['payments'],
      summary: 'Pay an order: from the balance at once, or start an Alipay or WeChat Pay payment',
      access: shopper,
      middleware: [costlyWrite()],
      request: { params: idParam, ...jsonBody(payInputSchema) },
      responses: {
        200: json(
          z.object({ paid: z.boolean(), order: orderSchema.optional(), payment: paymentSchema.optional() }),
          'Paid (balance), or the payment to complete at the provider',
        ),
        409: errorResponse('Not awaiting payment, past its deadline, or the balance is too low'),
        503: errorResponse('The provider did not answer'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const outcome = await payOrder(
        c.get('principal'),
        id,
        c.req.valid('json'),
        paymentUrls(c, `/pay/return?order=${id}`),
      );
      return c.json(plain(outcome) as { paid: boolean }, 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/payments/{id}',
      tags: ['payments'],
      summary: 'A payment of mine, its status checked with the provider while it is open',
      access: shopper,
      request: { params: idParam },
      responses: { 200: json(paymentSchema, 'The payment'), 404: errorResponse('No such payment') },
    }),
    async (c) => {
      const payment = await getPayment(c.req.valid('param').id).catch(() => null);
      if (!payment || payment.userId !== c.get('principal').userId)
        throw new NotFoundError('no such payment');
      const synced = await syncPayment(payment).catch(() => payment);
      return c.json(plain(paymentView(synced)) as z.infer<typeof paymentSchema>, 200);
    },
  );

  return app;
}
