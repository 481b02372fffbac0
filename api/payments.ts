import { OpenAPIHono, z } from '@hono/zod-openapi';
import { handlePaymentNotification } from '../commerce/orders/index.ts';
import {
  listPaymentConfigs,
  listPaymentLogs,
  listPaymentMethods,
  providerNames,
  setPaymentConfig,
  startProviderPayment,
  updatePaymentMethod,
  walletsOf,
} from '../commerce/payments/index.ts';
import { NotFoundError } from '../core/errors.ts';
import { amountPattern, money } from '../core/money.ts';
import { access, secureRoute } from './access.ts';
import type { AppEnv } from './env.ts';
import { validationHook } from './errors.ts';
import { errorResponse, isoDate, json, jsonBody, plain } from './openapi.ts';
import { paymentSchema, paymentUrls } from './orders.ts';

const providerParam = z.object({ provider: z.enum(['alipay', 'wechat']) });

const methodSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    description: z.string(),
    enabled: z.boolean(),
    sortOrder: z.number(),
  })
  .openapi('PaymentMethod');

const configSchema = z
  .object({
    provider: z.string(),
    appId: z.string(),
    settings: z
      .record(z.string(), z.string())
      .describe('non-secret settings: gateway, merchant id, serial, public keys'),
    secretsSet: z
      .array(z.string())
      .describe('names of the secrets that are set; their values are never returned'),
    updatedAt: isoDate,
  })
  .openapi('PaymentConfig');

const walletSchema = z.object({
  currency: z.string(),
  balance: z.string(),
  available: z.string(),
  frozen: z.string(),
});

export const topUpSchema = z
  .object({
    amount: z.string().regex(amountPattern, 'an amount such as "100.00"'),
    currency: z.string().regex(/^[A-Z]{3}$/),
    method: z.enum(['alipay', 'wechat']),
  })
  .strict();

/** Provider notifications, the shopper's balance, and payment administration. */
export function paymentRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/payments/notify/{provider}',
      tags: ['payments'],
      summary: 'Asynchronous payment notifications from Alipay and WeChat Pay (signed by the provider)',
      description:
        'Open to anyone, because the provider calls it; every notification is verified (signature, app id, amount, currency), logged, and applied at most once. The answer is what the provider expects.',
      access: access.public,
      request: { params: providerParam },
      responses: {
        200: { description: 'Accepted (Alipay: "success")' },
        204: { description: 'Accepted (WeChat Pay)' },
      },
    }),
    async (c) => {
      const rawBody = await c.req.text();
      const headers: Record<string, string> = {};
      c.req.raw.headers.forEach((value, name) => {
        headers[name] = value;
      });
      const ack = await handlePaymentNotification(c.req.valid('param').provider, { headers, rawBody });
      // The provider's own answer: Alipay wants the text "success", WeChat Pay an empty 204.
      return new Response(ack.status === 204 ? null : ack.body, {
        status: ack.status,
        headers: { 'content-type': ack.contentType },
      }) as never;
    },
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/account/wallet',
      tags: ['payments'],
      summary: 'My balance, per currency (available = balance − frozen)',
      access: access.anyOf('account:manage'),
      responses: { 200: json(z.object({ items: z.array(walletSchema) }), 'Wallets') },
    }),
    async (c) => c.json({ items: await walletsOf(c.get('principal').user!.id) }, 200),
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/account/wallet/top-ups',
      tags: ['payments'],
      summary: 'Top up my balance through Alipay or WeChat Pay',
      access: access.anyOf('orders:place'),
      request: jsonBody(topUpSchema),
      responses: {
        200: json(paymentSchema, 'The payment to complete at the provider'),
        503: errorResponse('The provider did not answer'),
      },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const payment = await startProviderPayment({
        purpose: 'topup',
        orderId: null,
        userId: c.get('principal').user!.id,
        method: input.method,
        amount: money(input.amount),
        currency: input.currency,
        subject: `Trawl balance top-up ${input.amount} ${input.currency}`,
        ...paymentUrls(c, '/account#balance'),
        notifyUrl: `${paymentUrls(c, '/').notifyBase}/${input.method}`,
        expiresAt: new Date(Date.now() + 30 * 60_000),
      });
      return c.json(plain(payment) as z.infer<typeof paymentSchema>, 200);
    },
  );

  const configure = access.anyOf('payments:configure');
  const tags = ['admin: payments'];

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/payment-methods',
      tags,
      summary: 'Payment methods: enabled, order, description',
      access: configure,
      responses: { 200: json(z.object({ items: z.array(methodSchema) }), 'Methods') },
    }),
    async (c) => c.json({ items: await listPaymentMethods() }, 200),
  );

  app.openapi(
    secureRoute({
      method: 'patch',
      path: '/payment-methods/{code}',
      tags,
      summary: 'Enable, disable, rename or reorder a payment method',
      access: configure,
      request: {
        params: z.object({ code: z.string().max(20) }),
        ...jsonBody(
          z
            .object({
              name: z.string().optional(),
              description: z.string().optional(),
              enabled: z.boolean().optional(),
              sortOrder: z.number().int().optional(),
            })
            .strict(),
        ),
      },
      responses: { 200: json(methodSchema, 'The method'), 404: errorResponse('No such method') },
    }),
    async (c) => c.json(await updatePaymentMethod(c.req.valid('param').code, c.req.valid('json')), 200),
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/payment-configs',
      tags,
      summary: 'Provider configurations (secrets are never returned)',
      access: configure,
      responses: { 200: json(z.object({ items: z.array(configSchema) }), 'Configurations') },
    }),
    async (c) =>
      c.json(
        plain({ items: await listPaymentConfigs() }) as { items: Array<z.infer<typeof configSchema>> },
        200,
      ),
  );

  app.openapi(
    secureRoute({
      method: 'put',
      path: '/payment-configs/{provider}',
      tags,
      summary: 'Set a provider’s app id, gateway and keys (secrets are encrypted at rest and never returned)',
      access: configure,
      request: { params: providerParam, ...jsonBody(z.record(z.string(), z.string())) },
      responses: { 200: json(configSchema, 'Stored'), 400: errorResponse('Invalid keys or settings') },
    }),
    async (c) => {
      const { provider } = c.req.valid('param');
      if (!providerNames.includes(provider)) throw new NotFoundError('no such provider');
      return c.json(
        plain(await setPaymentConfig(provider, c.req.valid('json'))) as z.infer<typeof configSchema>,
        200,
      );
    },
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/payment-logs',
      tags,
      summary: 'The payment log: every request, response and notification, secrets masked',
      access: configure,
      request: {
        query: z.object({
          paymentId: z.uuid().optional(),
          provider: z.string().max(20).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
      },
      responses: {
        200: json(
          z.object({
            items: z.array(
              z.object({
                id: z.string(),
                provider: z.string(),
                direction: z.string(),
                operation: z.string(),
                url: z.string().nullable(),
                httpStatus: z.number().nullable(),
                outcome: z.string().nullable(),
                body: z.unknown(),
                createdAt: isoDate,
                paymentOrderId: z.string().nullable(),
              }),
            ),
          }),
          'Log entries, newest first',
        ),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const items = await listPaymentLogs({
        ...(query.paymentId ? { paymentOrderId: query.paymentId } : {}),
        ...(query.provider ? { provider: query.provider } : {}),
        limit: query.limit,
      });
      return c.json(plain({ items }) as { items: [] }, 200);
    },
  );

  return app;
}
