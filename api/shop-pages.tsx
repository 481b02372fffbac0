import { randomUUID } from 'node:crypto';
import { type Context, Hono } from 'hono';
import QRCode from 'qrcode';
import { z } from 'zod';
import { listAddresses, listUsers } from '../commerce/accounts/index.ts';
import { addToCart, setCartQuantity, viewCart } from '../commerce/cart/index.ts';
import {
  actOnOrder,
  checkoutSiblingAwaitingPayment,
  getOrderByNumber,
  listOrders,
  type OrderAction,
  orderListSchema,
  orderNumberOf,
  payOrder,
  placeOrders,
  quoteCheckout,
  syncPayment,
} from '../commerce/orders/index.ts';
import {
  findPayment,
  getPayment,
  listPaymentMethods,
  type PaymentView,
  paymentView,
  sandboxScanLink,
  walletsOf,
} from '../commerce/payments/index.ts';
import { groupOfOrder } from '../commerce/promotions/index.ts';
import { reviewsOfOrder } from '../commerce/reviews/index.ts';
import { getMerchantProfile } from '../commerce/shipping/index.ts';
import { DomainError, NotFoundError } from '../core/errors.ts';
import {
  CartPage,
  CheckoutPage,
  type CheckoutView,
  ManageOrdersPage,
  MyOrdersPage,
  OrderPage,
  PayPage,
} from '../dashboard/index.ts';
import { access } from './access.ts';
import { costlyWrite } from './admission.ts';
import { cartOwner } from './cart.ts';
import type { AppEnv } from './env.ts';
import { paymentUrls } from './orders.ts';
import { formFields, render } from './pages.tsx';

const orderActionPaths: Record<string, OrderAction> = {
  cancel: 'cancel',
  ship: 'ship',
  deliver: 'deliver',
  complete: 'complete',
  return: 'request_return',
  'approve-return': 'approve_return',
  'reject-return': 'reject_return',
};

const orderMessages: Record<string, string> = {
  placed: 'Thank you: your order is placed.',
  paid: 'Payment received. The merchant will ship your order.',
  cancel: 'The order is cancelled.',
  ship: 'Marked shipped.',
  deliver: 'Marked delivered.',
  complete: 'The order is completed.',
  return: 'Your return request was sent to the merchant.',
  'approve-return': 'Return approved: the refund is on its way through the original payment method.',
  'reject-return': 'Return refused.',
  pending: 'We have not received the payment yet. If you paid, it will show here within a minute.',
  review: 'Thank you for your review: other shoppers can read it on the product’s page.',
};

async function merchantNames(ids: Iterable<string>): Promise<Record<string, string>> {
  const names: Record<string, string> = {};
  for (const id of new Set(ids)) names[id] = (await getMerchantProfile(id)).displayName;
  return names;
}

/**
 * The shop's pages: cart, checkout, paying, the shopper's orders, and order pages for merchants
 * (their shops' orders) and staff (every order). Forms post back here and redirect, so a reload
 * never repeats an action; checkout carries an idempotency key so a double submit places once.
 */
export function shopPageRoutes() {
  const app = new Hono<AppEnv>();
  const shopper = access.anyOf('orders:place');

  app.get('/cart', access.public, async (c) => {
    const owner = cartOwner(c, { create: false });
    const cart = owner ? await viewCart(owner) : { lines: [], groups: [], blocked: 0, quantity: 0 };
    const names = await merchantNames(cart.groups.map((g) => g.merchantId));
    return render(
      c,
      <CartPage
        cart={cart}
        merchantNames={names}
        message={c.req.query('added') ? 'Added to your cart.' : null}
      />,
    );
  });

  app.post('/cart/add', access.public, async (c) => {
    const form = await formFields(c);
    await addToCart(cartOwner(c, { create: true })!, {
      productId: form.productId ?? '',
      quantity: Math.max(1, Math.min(99, Number(form.quantity ?? '1') || 1)),
    });
    return c.redirect('/cart?added=1', 303);
  });

  app.post('/cart/lines/:productId', access.public, async (c) => {
    const form = await formFields(c);
    const owner = cartOwner(c, { create: false });
    if (owner)
      await setCartQuantity(owner, z.uuid().parse(c.req.param('productId')), {
        quantity: Math.max(0, Math.min(99, Number(form.quantity ?? '0') || 0)),
      }).catch((error) => {
        if (!(error instanceof NotFoundError)) throw error;
      });
    return c.redirect('/cart', 303);
  });

  app.post('/cart/lines/:productId/remove', access.public, async (c) => {
    const owner = cartOwner(c, { create: false });
    if (owner)
      await setCartQuantity(owner, z.uuid().parse(c.req.param('productId')), { quantity: 0 }).catch(
        (error) => {
          if (!(error instanceof NotFoundError)) throw error;
        },
      );
    return c.redirect('/cart', 303);
  });

  const checkoutView = async (
    c: Context<AppEnv>,
    input: { addressId?: string; shipping?: Record<string, string>; couponCode?: string; points?: number },
    error?: string,
  ): Promise<CheckoutView> => {
    const userId = c.get('principal').user!.id;
    const [addresses, methods, wallets] = await Promise.all([
      listAddresses(userId),
      listPaymentMethods({ enabledOnly: true }),
      walletsOf(userId),
    ]);
    const addressId = input.addressId ?? addresses[0]?.id;
    const quote = addressId
      ? await quoteCheckout(userId, {
          addressId,
          shipping: input.shipping ?? {},
          ...(input.couponCode ? { couponCode: input.couponCode } : {}),
          points: input.points ?? 0,
        })
      : null;
    return { addresses, quote, methods, wallets, idempotencyKey: randomUUID(), error: error ?? null };
  };

  /** The coupon code and points a checkout form carries. */
  const savings = (form: Record<string, string>) => ({
    ...(form.couponCode ? { couponCode: form.couponCode.slice(0, 40) } : {}),
    points: Math.max(0, Math.min(100_000_000, Math.floor(Number(form.points ?? '0')) || 0)),
  });

  const shippingChoices = (form: Record<string, string>) =>
    Object.fromEntries(
      Object.entries(form)
        .filter(([name]) => name.startsWith('shipping.'))
        .map(([name, value]) => [name.slice('shipping.'.length), value]),
    );

  app.get('/checkout', shopper, async (c) => render(c, <CheckoutPage view={await checkoutView(c, {})} />));

  app.post('/checkout/refresh', shopper, async (c) => {
    const form = await formFields(c);
    return render(
      c,
      <CheckoutPage
        view={
          await checkoutView(c, {
            ...(form.addressId ? { addressId: form.addressId } : {}),
            shipping: shippingChoices(form),
            ...savings(form),
          })
        }
      />,
    );
  });

  app.post('/checkout', shopper, costlyWrite(), async (c) => {
    const form = await formFields(c);
    const principal = c.get('principal');
    const input = {
      addressId: form.addressId ?? '',
      shipping: shippingChoices(form),
      ...savings(form),
      ...(form.digest ? { digest: form.digest } : {}),
    };
    try {
      const placed = await placeOrders(principal.user!, form.idempotencyKey ?? '', input);
      const first = await orderNumberOf(placed.orderIds[0]!);
      const method = z.enum(['alipay', 'wechat', 'balance']).safeParse(form.method);
      return c.redirect(`/orders/${first}/pay${method.success ? `?method=${method.data}` : ''}`, 303);
    } catch (error) {
      if (!(error instanceof DomainError) && !(error instanceof z.ZodError)) throw error;
      const message =
        error instanceof z.ZodError
          ? 'Choose an address and a shipping method for every order.'
          : error.message;
      const view = await checkoutView(
        c,
        {
          ...(form.addressId ? { addressId: form.addressId } : {}),
          shipping: shippingChoices(form),
          ...savings(form),
        },
        message,
      );
      return render(
        c,
        <CheckoutPage view={view} />,
        error instanceof DomainError && error.status === 409 ? 409 : 400,
      );
    }
  });

  // The shopper's orders.
  app.get('/orders', shopper, async (c) => {
    const { items } = await listOrders(c.get('principal'), 'mine', orderListSchema.parse({ pageSize: 100 }));
    return render(c, <MyOrdersPage items={items} />);
  });

  const nextToPay = (c: Context<AppEnv>, orderId: string): Promise<string | null> =>
    checkoutSiblingAwaitingPayment(c.get('principal').user!.id, orderId);

  app.get('/orders/:number', access.anyOf('orders:place', 'orders:read:own', 'orders:read'), async (c) => {
    const order = await getOrderByNumber(c.get('principal'), c.req.param('number'));
    if (order.viewer !== 'shopper')
      return c.redirect(`${order.viewer === 'staff' ? '/admin' : '/merchant'}/orders/${order.number}`, 303);
    const done = c.req.query('done');
    const message =
      done && orderMessages[done]
        ? { kind: done === 'pending' ? ('warn' as const) : ('ok' as const), text: orderMessages[done] }
        : null;
    const next = order.status === 'pending_payment' ? null : await nextToPay(c, order.id);
    const [reviews, group] = await Promise.all([
      order.status === 'delivered' || order.status === 'completed'
        ? reviewsOfOrder(order.id).then((m) => Object.fromEntries(m))
        : null,
      groupOfOrder(order.id),
    ]);
    return render(
      c,
      <OrderPage
        order={order}
        base="/orders"
        message={message}
        nextToPay={next}
        reviews={reviews}
        group={group}
      />,
    );
  });

  const payPage = async (
    c: Context<AppEnv>,
    number: string,
    extra: { payment?: PaymentView; error?: string } = {},
  ) => {
    const principal = c.get('principal');
    const order = await getOrderByNumber(principal, number);
    if (order.viewer !== 'shopper') throw new NotFoundError('no such order');
    const [methods, wallets] = await Promise.all([
      listPaymentMethods({ enabledOnly: true }),
      walletsOf(principal.user!.id),
    ]);
    let qrSvg: string | null = null;
    let scanUrl: string | null = null;
    if (extra.payment?.action?.kind === 'qr') {
      qrSvg = await QRCode.toString(extra.payment.action.codeUrl, { type: 'svg', margin: 1, width: 240 });
      scanUrl = await sandboxScanLink(
        extra.payment.method as 'alipay' | 'wechat',
        extra.payment.action.codeUrl,
      );
    }
    return render(
      c,
      <PayPage
        order={order}
        methods={methods}
        wallets={wallets}
        preferred={c.req.query('method') ?? null}
        payment={extra.payment ?? null}
        qrSvg={qrSvg}
        scanUrl={scanUrl}
        error={extra.error ?? null}
      />,
      extra.error ? 409 : 200,
    );
  };

  app.get('/orders/:number/pay', shopper, async (c) => {
    const order = await getOrderByNumber(c.get('principal'), c.req.param('number'));
    if (order.status !== 'pending_payment') return c.redirect(`/orders/${order.number}`, 303);
    return payPage(c, order.number);
  });

  app.post('/orders/:number/pay', shopper, costlyWrite(), async (c) => {
    const form = await formFields(c);
    const principal = c.get('principal');
    const order = await getOrderByNumber(principal, c.req.param('number'));
    try {
      const method = form.method ?? 'alipay';
      const outcome = await payOrder(
        principal,
        order.id,
        { method, ...(method === 'alipay' && form.prefer === 'qr' ? { prefer: 'qr' } : {}) },
        paymentUrls(c, `/pay/return?order=${order.number}`),
      );
      if (outcome.paid) return c.redirect(`/orders/${order.number}?done=paid`, 303);
      if (outcome.payment.action?.kind === 'redirect') return c.redirect(outcome.payment.action.url, 303);
      return c.redirect(`/pay/${outcome.payment.id}`, 303);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return payPage(c, order.number, { error: error.message });
    }
  });

  /** Where Alipay sends the browser back: ask the provider how the payment stands, then show the order. */
  app.get('/pay/return', shopper, async (c) => {
    const number = z
      .string()
      .max(40)
      .parse(c.req.query('order') ?? '');
    const order = await getOrderByNumber(c.get('principal'), number);
    const outTradeNo = c.req.query('out_trade_no');
    const payment = outTradeNo ? await findPayment(outTradeNo) : null;
    if (payment && payment.orderId === order.id && payment.status === 'pending')
      await syncPayment(payment).catch(() => {});
    const fresh = await getOrderByNumber(c.get('principal'), number);
    return c.redirect(
      `/orders/${number}?done=${fresh.status === 'pending_payment' ? 'pending' : 'paid'}`,
      303,
    );
  });

  /** The QR code of a payment, the page polling until it is paid. */
  app.get('/pay/:paymentId{[0-9a-f-]+}', shopper, async (c) => {
    const payment = await getPayment(z.uuid().parse(c.req.param('paymentId'))).catch(() => null);
    if (!payment || payment.userId !== c.get('principal').userId || !payment.orderId)
      throw new NotFoundError('no such payment');
    const synced = payment.status === 'pending' ? await syncPayment(payment).catch(() => payment) : payment;
    const number = await orderNumberOf(payment.orderId);
    if (synced.status === 'paid') return c.redirect(`/orders/${number}?done=paid`, 303);
    return payPage(c, number, { payment: paymentView(synced) });
  });

  app.post('/orders/:number/:action{cancel|deliver|complete|return}', shopper, async (c) =>
    orderAction(c, '/orders'),
  );

  // The back office's orders: merchants see their shops', staff (orders:read) every order.
  const adminOrders = access.anyOf('orders:read', 'orders:read:own');
  app.get('/admin/orders', adminOrders, async (c) => {
    const principal = c.get('principal');
    const scope = principal.can('orders:read') ? 'all' : 'merchant';
    const query = orderListSchema.parse(
      Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== '')),
    );
    const result = await listOrders(principal, scope, query);
    const merchants =
      scope === 'all'
        ? (await listUsers({ role: 'merchant', pageSize: 200 })).items.map((u) => ({
            id: u.id,
            name: u.name ?? u.email,
          }))
        : undefined;
    return render(
      c,
      <ManageOrdersPage
        title={scope === 'all' ? 'Orders' : 'Orders of your shops'}
        base="/admin/orders"
        query={query}
        result={result}
        {...(merchants ? { merchants } : {})}
      />,
    );
  });
  app.get('/admin/orders/:number', adminOrders, async (c) => {
    const order = await getOrderByNumber(c.get('principal'), c.req.param('number'));
    const done = c.req.query('done');
    return render(
      c,
      <OrderPage
        order={order}
        base="/admin/orders"
        group={await groupOfOrder(order.id)}
        admin
        message={done && orderMessages[done] ? { kind: 'ok', text: orderMessages[done] } : null}
      />,
    );
  });
  app.post(
    '/admin/orders/:number/:action{cancel|ship|deliver|complete|approve-return|reject-return}',
    access.anyOf('orders:ship'),
    (c) => orderAction(c, '/admin/orders'),
  );

  return app;
}

async function orderAction(c: Context<AppEnv>, base: string) {
  const form = await formFields(c);
  const principal = c.get('principal');
  const pathAction = c.req.param('action')!;
  const order = await getOrderByNumber(principal, c.req.param('number')!);
  try {
    await actOnOrder(principal, order.id, orderActionPaths[pathAction]!, {
      ...(form.note ? { note: form.note } : {}),
      ...(form.reason ? { reason: form.reason } : {}),
      ...(form.carrier ? { carrier: form.carrier } : {}),
      ...(form.trackingNumber ? { trackingNumber: form.trackingNumber } : {}),
    });
    return c.redirect(`${base}/${order.number}?done=${pathAction}`, 303);
  } catch (error) {
    if (!(error instanceof DomainError) && !(error instanceof z.ZodError)) throw error;
    const fresh = await getOrderByNumber(principal, order.number);
    const text =
      error instanceof z.ZodError
        ? error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
        : error.message;
    return render(
      c,
      <OrderPage order={fresh} base={base} message={{ kind: 'error', text }} />,
      error instanceof DomainError && error.status === 409 ? 409 : 400,
    );
  }
}
