import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { addToCart } from '../commerce/cart/index.ts';
import {
  buyTier,
  createPointsRule,
  deletePointsRule,
  listPointsRules,
  listTiers,
  membershipSettings,
  updateMembershipSettings,
  updateTier,
} from '../commerce/membership/index.ts';
import { getOrderByNumber } from '../commerce/orders/index.ts';
import {
  changePromotionStatus,
  claimCoupon,
  createPromotion,
  getPromotion,
  issueCoupons,
  joinGroupBuy,
  listCouponCodes,
  listPromotions,
  promotionListSchema,
  reserveFlash,
  type StatusAction,
  updatePromotion,
} from '../commerce/promotions/index.ts';
import {
  getReview,
  moderationListSchema,
  replyToReview,
  reviewsForBackOffice,
  setReviewVisibility,
  voteHelpful,
  writeReview,
} from '../commerce/reviews/index.ts';
import { DomainError, NotFoundError, ValidationError } from '../core/errors.ts';
import {
  MembershipAdminPage,
  type MembershipAdminView,
  PromotionFormPage,
  type PromotionFormView,
  PromotionsListPage,
  promotionFormValues,
  ReviewFormPage,
  ReviewsAdminPage,
} from '../dashboard/index.ts';
import { access } from './access.ts';
import type { AppEnv } from './env.ts';
import { formFields, render, safeNext } from './pages.tsx';

const userId = (c: Context<AppEnv>) => c.get('principal').user!.id;

/** A failed form's message and its fields' messages, from a zod or domain error. */
function problems(error: unknown): { text: string; fields: Record<string, string> } | null {
  if (error instanceof z.ZodError) {
    const fields: Record<string, string> = {};
    for (const issue of error.issues) fields[issue.path.map(String).join('.')] ??= issue.message;
    return { text: 'Please correct the fields marked below.', fields };
  }
  if (error instanceof ValidationError) {
    const fields: Record<string, string> = {};
    for (const issue of error.issues) fields[issue.path] ??= issue.message;
    return { text: error.message, fields };
  }
  if (error instanceof DomainError) return { text: error.message, fields: {} };
  return null;
}

const number = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : Number(v));
const nullableNumber = (v: string | undefined) => (v === undefined || v.trim() === '' ? null : Number(v));

/** A promotion form as the service's input: the terms of its type only. */
function promotionInput(form: Record<string, string>): Record<string, unknown> {
  const type = form.type ?? '';
  const utc = (v: string | undefined) => (v ? `${v.length === 16 ? `${v}:00` : v}Z` : undefined);
  let rules: Record<string, unknown> = {};
  if (type === 'threshold')
    rules = {
      tiers: (form.tiers ?? '')
        .split(/[,;\n]/)
        .map((t) => t.trim())
        .filter(Boolean)
        .map((t) => {
          const [spend, off] = t.split(/[-–:/]/).map((x) => x.trim());
          return { spend, off };
        }),
    };
  else if (type === 'discount' || type === 'coupon')
    rules = {
      ...(form.percent ? { percent: Number(form.percent) } : {}),
      ...(form.amountOff ? { amountOff: form.amountOff } : {}),
      ...(form.minSpend ? { minSpend: form.minSpend } : {}),
      ...(form.maxOff ? { maxOff: form.maxOff } : {}),
    };
  else if (type === 'rush') rules = { price: form.price, perPersonUnits: number(form.perPersonUnits) };
  else if (type === 'flash')
    rules = {
      price: form.price,
      units: number(form.units),
      ...(form.perPersonUnits ? { perPersonUnits: Number(form.perPersonUnits) } : {}),
      ...(form.reserveMinutes ? { reserveMinutes: Number(form.reserveMinutes) } : {}),
    };
  else if (type === 'group')
    rules = {
      price: form.price,
      groupSize: number(form.groupSize),
      hours: number(form.hours),
      ...(form.perPersonUnits ? { perPersonUnits: Number(form.perPersonUnits) } : {}),
    };
  return {
    name: form.name ?? '',
    description: form.description ?? null,
    type,
    startsAt: utc(form.startsAt),
    endsAt: utc(form.endsAt),
    scope: form.scope ?? 'everything',
    merchantId: form.merchantId ?? null,
    category: form.category ?? null,
    productIds: (form.productIds ?? '')
      .split(/[\s,]+/)
      .map((x) => x.trim())
      .filter(Boolean),
    currency: form.currency?.toUpperCase() ?? null,
    minTier: form.minTier ?? null,
    stacking: form.stacking ?? 'stackable',
    fundedBy: form.fundedBy ?? 'merchant',
    rules,
    maxUses: nullableNumber(form.maxUses),
    perUserLimit: nullableNumber(form.perUserLimit),
    maxParticipants: nullableNumber(form.maxParticipants),
    budget: form.budget ?? null,
    claimable: form.claimable === 'true',
  };
}

/**
 * Pages of promotions, membership and reviews: buying at a flash or group price, claiming
 * coupons, buying a tier, writing and voting on reviews (shoppers); and the back office's
 * promotions, coupons, tiers, points rules and review moderation.
 */
export function promotionPageRoutes() {
  const app = new Hono<AppEnv>();
  const shopper = access.anyOf('orders:place');
  const manage = access.anyOf('promotions:manage');

  // ——— the shopper's side ———

  /** 秒杀: reserve a unit, put it in the cart, and go to checkout (the reservation lapses if unpaid). */
  app.post('/flash-sales/:id/reserve', shopper, async (c) => {
    const id = z.uuid().parse(c.req.param('id'));
    const reservation = await reserveFlash(userId(c), id, 1);
    await addToCart(
      { userId: userId(c) },
      { productId: reservation.productId, quantity: reservation.quantity },
    );
    return c.redirect('/checkout', 303);
  });

  /** 团购: start or join a group, put the listing in the cart, and go to checkout. */
  app.post('/group-buys/:id/join', shopper, async (c) => {
    const form = await formFields(c);
    const id = z.uuid().parse(c.req.param('id'));
    const group = await joinGroupBuy(userId(c), id, form.groupId ? z.uuid().parse(form.groupId) : null);
    await addToCart({ userId: userId(c) }, { productId: group.productId, quantity: 1 });
    return c.redirect('/checkout', 303);
  });

  app.post('/account/coupons/:id/claim', shopper, async (c) => {
    try {
      const code = await claimCoupon(userId(c), z.uuid().parse(c.req.param('id')));
      return c.redirect(`/account?done=coupon&code=${encodeURIComponent(code.code)}#membership`, 303);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return c.redirect(`/account?failed=${encodeURIComponent(error.message)}#membership`, 303);
    }
  });

  app.post('/account/membership/tier', shopper, async (c) => {
    const form = await formFields(c);
    try {
      await buyTier(userId(c), { tier: form.tier ?? '' });
      return c.redirect('/account?done=tier#membership', 303);
    } catch (error) {
      if (!(error instanceof DomainError) && !(error instanceof z.ZodError)) throw error;
      const text = error instanceof DomainError ? error.message : 'choose a tier';
      return c.redirect(`/account?failed=${encodeURIComponent(text)}#membership`, 303);
    }
  });

  app.post('/reviews/:id/helpful', shopper, async (c) => {
    const form = await formFields(c);
    const review = await getReview(z.uuid().parse(c.req.param('id')));
    await voteHelpful(userId(c), review.id).catch((error: unknown) => {
      // A second vote changes nothing; the page simply shows the vote.
      if (!(error instanceof DomainError) || error.status !== 409) throw error;
    });
    return c.redirect(
      safeNext(form.back, review.productId ? `/product/${review.productId}#reviews` : '/'),
      303,
    );
  });

  const reviewLine = async (c: Context<AppEnv>) => {
    const order = await getOrderByNumber(c.get('principal'), c.req.param('number')!);
    const line = order.lines.find((l) => l.id === c.req.param('lineId'));
    if (order.viewer !== 'shopper' || !line) throw new NotFoundError('no such order line');
    return { order, line };
  };

  app.get('/orders/:number/lines/:lineId/review', shopper, async (c) => {
    const { order, line } = await reviewLine(c);
    return render(
      c,
      <ReviewFormPage view={{ orderNumber: order.number, lineId: line.id, title: line.title }} />,
    );
  });

  app.post('/orders/:number/lines/:lineId/review', shopper, async (c) => {
    const { order, line } = await reviewLine(c);
    const form = await formFields(c);
    try {
      await writeReview(userId(c), line.id, {
        rating: form.rating ?? '',
        body: form.body ?? '',
        imageUrls: (form.imageUrls ?? '')
          .split(/\s+/)
          .map((u) => u.trim())
          .filter(Boolean),
      });
      return c.redirect(`/orders/${order.number}?done=review`, 303);
    } catch (error) {
      const found = problems(error);
      if (!found) throw error;
      const status =
        error instanceof DomainError ? (error.status === 429 ? 429 : error.status === 409 ? 409 : 400) : 400;
      return render(
        c,
        <ReviewFormPage
          view={{
            orderNumber: order.number,
            lineId: line.id,
            title: line.title,
            error: found.text,
            fields: found.fields,
            values: form,
          }}
        />,
        status,
      );
    }
  });

  // ——— the back office: promotions and coupons ———

  app.get('/admin/promotions', manage, async (c) => {
    const query = promotionListSchema.parse(
      Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== '')),
    );
    const done = c.req.query('done');
    return render(
      c,
      <PromotionsListPage
        query={query}
        result={await listPromotions(query)}
        message={done ? 'Saved.' : null}
      />,
    );
  });

  const formView = async (
    id: string | null,
    extra: Partial<PromotionFormView> = {},
  ): Promise<PromotionFormView> => {
    const promotion = id ? await getPromotion(id) : null;
    const [tiers, coupons] = await Promise.all([
      listTiers(),
      promotion?.type === 'coupon' ? listCouponCodes(promotion.id) : Promise.resolve([]),
    ]);
    const now = new Date();
    return {
      promotion,
      values: promotion
        ? promotionFormValues(promotion)
        : {
            type: 'threshold',
            scope: 'everything',
            stacking: 'stackable',
            fundedBy: 'merchant',
            currency: 'CNY',
            startsAt: now.toISOString().slice(0, 16),
            endsAt: new Date(now.getTime() + 7 * 86_400_000).toISOString().slice(0, 16),
          },
      fields: {},
      tiers,
      coupons,
      ...extra,
    };
  };

  app.get('/admin/promotions/new', manage, async (c) =>
    render(c, <PromotionFormPage view={await formView(null)} />),
  );

  app.post('/admin/promotions', manage, async (c) => {
    const form = await formFields(c);
    try {
      const created = await createPromotion(promotionInput(form));
      return c.redirect(`/admin/promotions/${created.id}?done=created`, 303);
    } catch (error) {
      const found = problems(error);
      if (!found) throw error;
      return render(
        c,
        <PromotionFormPage
          view={await formView(null, { values: form, fields: found.fields, error: found.text })}
        />,
        400,
      );
    }
  });

  const messages: Record<string, string> = {
    created: 'Draft created. Publish it when its terms are right.',
    saved: 'Saved.',
    publish: 'Published: it starts and ends by itself at its window’s boundaries.',
    pause: 'Paused.',
    resume: 'Resumed.',
    end: 'Ended.',
    coupons: 'Codes made.',
  };

  app.get('/admin/promotions/:id{[0-9a-f-]{36}}', manage, async (c) => {
    const done = c.req.query('done');
    return render(
      c,
      <PromotionFormPage
        view={await formView(c.req.param('id'), { message: done ? messages[done] : null })}
      />,
    );
  });

  app.post('/admin/promotions/:id{[0-9a-f-]{36}}', manage, async (c) => {
    const id = c.req.param('id');
    const form = await formFields(c);
    try {
      await updatePromotion(id, promotionInput(form));
      return c.redirect(`/admin/promotions/${id}?done=saved`, 303);
    } catch (error) {
      const found = problems(error);
      if (!found) throw error;
      return render(
        c,
        <PromotionFormPage
          view={await formView(id, { values: form, fields: found.fields, error: found.text })}
        />,
        400,
      );
    }
  });

  app.post('/admin/promotions/:id{[0-9a-f-]{36}}/:action{publish|pause|resume|end}', manage, async (c) => {
    const id = c.req.param('id');
    const action = c.req.param('action') as StatusAction;
    try {
      await changePromotionStatus(id, action);
      return c.redirect(`/admin/promotions/${id}?done=${action}`, 303);
    } catch (error) {
      const found = problems(error);
      if (!found) throw error;
      return render(c, <PromotionFormPage view={await formView(id, { error: found.text })} />, 409);
    }
  });

  app.post('/admin/promotions/:id{[0-9a-f-]{36}}/coupons', manage, async (c) => {
    const id = c.req.param('id');
    const form = await formFields(c);
    try {
      await issueCoupons(
        id,
        form.tier
          ? { tier: form.tier }
          : { code: form.code ?? '', ...(form.maxUses ? { maxUses: Number(form.maxUses) } : {}) },
      );
      return c.redirect(`/admin/promotions/${id}?done=coupons`, 303);
    } catch (error) {
      const found = problems(error);
      if (!found) throw error;
      return render(c, <PromotionFormPage view={await formView(id, { error: found.text })} />, 400);
    }
  });

  // ——— the back office: tiers and points ———

  const membershipView = async (extra: Partial<MembershipAdminView> = {}): Promise<MembershipAdminView> => {
    const [tiers, rules, settings] = await Promise.all([
      listTiers(),
      listPointsRules(),
      membershipSettings(),
    ]);
    return { tiers, rules, settings, ...extra };
  };
  const membershipForm =
    (action: (c: Context<AppEnv>, form: Record<string, string>) => Promise<unknown>) =>
    async (c: Context<AppEnv>) => {
      const form = await formFields(c);
      try {
        await action(c, form);
        return c.redirect('/admin/membership?done=1', 303);
      } catch (error) {
        const found = problems(error);
        if (!found) throw error;
        const detail = Object.entries(found.fields)
          .map(([k, v]) => `${k}: ${v}`)
          .join('; ');
        return render(
          c,
          <MembershipAdminPage
            view={await membershipView({ error: detail ? `${found.text} (${detail})` : found.text })}
          />,
          400,
        );
      }
    };

  app.get('/admin/membership', manage, async (c) =>
    render(
      c,
      <MembershipAdminPage view={await membershipView({ message: c.req.query('done') ? 'Saved.' : null })} />,
    ),
  );
  app.post(
    '/admin/membership/tiers/:code',
    manage,
    membershipForm((c, form) =>
      updateTier(c.req.param('code')!, {
        name: form.name ?? '',
        minYearlySpend: form.minYearlySpend ?? '',
        price: form.price ?? null,
        discountPercent: form.discountPercent ?? '0',
        pointsMultiplier: form.pointsMultiplier ?? '1',
        benefits: form.benefits ?? null,
      }),
    ),
  );
  app.post(
    '/admin/membership/settings',
    manage,
    membershipForm((_c, form) =>
      updateMembershipSettings({
        currency: (form.currency ?? '').toUpperCase(),
        pointsPerUnit: form.pointsPerUnit ?? '',
        maxRedeemPercent: form.maxRedeemPercent ?? '',
      }),
    ),
  );
  app.post(
    '/admin/membership/points-rules',
    manage,
    membershipForm((_c, form) =>
      createPointsRule({
        name: form.name ?? '',
        pointsPerUnit: form.pointsPerUnit ?? '',
        currency: form.currency ? form.currency.toUpperCase() : null,
        minOrderTotal: form.minOrderTotal ?? null,
      }),
    ),
  );
  app.post(
    '/admin/membership/points-rules/:id/delete',
    manage,
    membershipForm((c) => deletePointsRule(z.uuid().parse(c.req.param('id')))),
  );

  // ——— the back office: reviews ———

  const reviewers = access.anyOf('reviews:moderate', 'reviews:reply');
  app.get('/admin/reviews', reviewers, async (c) => {
    const principal = c.get('principal');
    const query = moderationListSchema.parse(
      Object.fromEntries(Object.entries(c.req.query()).filter(([k, v]) => v !== '' && k !== 'done')),
    );
    return render(
      c,
      <ReviewsAdminPage
        result={await reviewsForBackOffice(principal, query)}
        status={query.status}
        canModerate={principal.can('reviews:moderate')}
        canReply={principal.can('reviews:reply')}
        message={c.req.query('done') ? 'Done.' : null}
      />,
    );
  });
  const reviewAction =
    (action: (c: Context<AppEnv>, id: string, form: Record<string, string>) => Promise<unknown>) =>
    async (c: Context<AppEnv>) => {
      const form = await formFields(c);
      try {
        await action(c, z.uuid().parse(c.req.param('id')), form);
        return c.redirect('/admin/reviews?done=1', 303);
      } catch (error) {
        const found = problems(error);
        if (!found) throw error;
        const principal = c.get('principal');
        return render(
          c,
          <ReviewsAdminPage
            result={await reviewsForBackOffice(principal, moderationListSchema.parse({}))}
            status={undefined}
            canModerate={principal.can('reviews:moderate')}
            canReply={principal.can('reviews:reply')}
            error={found.text}
          />,
          error instanceof DomainError && error.status === 409 ? 409 : 400,
        );
      }
    };
  app.post(
    '/admin/reviews/:id/reply',
    access.anyOf('reviews:reply'),
    reviewAction((c, id, form) => replyToReview(c.get('principal'), id, { reply: form.reply ?? '' })),
  );
  app.post(
    '/admin/reviews/:id/hide',
    access.anyOf('reviews:moderate'),
    reviewAction((_c, id, form) => setReviewVisibility(id, false, { reason: form.reason ?? '' })),
  );
  app.post(
    '/admin/reviews/:id/unhide',
    access.anyOf('reviews:moderate'),
    reviewAction((_c, id) => setReviewVisibility(id, true)),
  );

  return app;
}
