import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import {
  type CatalogProductDetail,
  explainGrouping,
  getCatalogProduct,
  getListings,
  getWatch,
  listAlerts,
  listWatches,
  markAlertsRead,
  mergeProducts,
  purchaseProblem,
  purchaseProblemText,
  splitOffer,
  unwatchProduct,
  watchProduct,
} from '../catalog/index.ts';
import { listAddresses } from '../commerce/accounts/index.ts';
import { getMerchantProfile, shippingOptions } from '../commerce/shipping/index.ts';
import { config } from '../core/config.ts';
import { DomainError } from '../core/errors.ts';
import { money } from '../core/money.ts';
import {
  AlertsPage,
  GroupingPage,
  type OfferExtras,
  ProductOffersPage,
  type ProductOffersView,
  ProductPage,
  renderErrorPage,
  WatchForm,
} from '../dashboard/index.ts';
import { access } from './access.ts';
import type { AppEnv } from './env.ts';
import { assertPublicWebhook } from './offers.ts';
import { formFields, pageInfo, render } from './pages.tsx';

/**
 * For each offer: may it be bought now, and what shipping to the shopper's default address costs
 * (the cheapest of the merchant's methods). Reviews do not exist yet: ratings are null.
 */
async function offerExtras(
  c: Context<AppEnv>,
  product: CatalogProductDetail,
): Promise<Record<string, OfferExtras>> {
  const userId = c.get('principal').user?.id;
  const [listings, addresses] = await Promise.all([
    getListings(product.offers.map((o) => o.id)),
    userId ? listAddresses(userId) : Promise.resolve([]),
  ]);
  const home = addresses.find((a) => a.isDefault) ?? null;
  const maxAge = config().LISTING_MAX_AGE_HOURS * 3_600_000;
  const entries = await Promise.all(
    product.offers.map(async (offer): Promise<[string, OfferExtras]> => {
      const listing = listings.get(offer.id);
      const problem = listing ? purchaseProblem(listing, maxAge) : 'gone';
      let shipping: OfferExtras['shipping'] = {
        fee: null,
        currency: null,
        note: home ? 'no shipping to your address' : 'add an address to see shipping',
      };
      if (home && listing?.merchantId && offer.price && offer.currency) {
        const profile = await getMerchantProfile(listing.merchantId);
        const options = await shippingOptions(listing.merchantId, {
          weightG: listing.weightG ?? profile.defaultWeightG,
          itemsTotal: money(offer.price),
          currency: offer.currency,
          destination: {
            city: home.city,
            country: home.country,
            latitude: home.latitude === null ? null : Number(home.latitude),
            longitude: home.longitude === null ? null : Number(home.longitude),
          },
        });
        const cheapest = options
          .filter((o) => o.available && o.fee !== null)
          .sort((a, b) => a.fee!.comparedTo(b.fee!))[0];
        if (cheapest)
          shipping = { fee: cheapest.fee!.toFixed(2), currency: offer.currency, note: cheapest.name };
      } else if (home && !listing?.merchantId) {
        shipping = { fee: null, currency: null, note: 'the shop does not sell on Trawl' };
      }
      return [
        offer.id,
        {
          buyable: problem === null,
          reason: problem ? purchaseProblemText[problem] : null,
          shipping,
          rating: null,
        },
      ];
    }),
  );
  return Object.fromEntries(entries);
}

/** The comparison page of a catalog product, or null when `id` is none. */
export async function renderOffersPage(
  c: Context<AppEnv>,
  id: string,
  flash?: ProductOffersView['flash'],
  status: 200 | 400 = 200,
) {
  const product = await getCatalogProduct(id);
  if (!product) return null;
  const userId = c.get('principal').user?.id;
  const [extras, watch] = await Promise.all([
    offerExtras(c, product),
    userId ? getWatch(userId, id) : Promise.resolve(undefined),
  ]);
  const view: ProductOffersView = { product, extras, watch, ...(flash ? { flash } : {}) };
  const only = product.offers.length === 1 ? product.offers[0]! : null;
  if (only) {
    // One shop sells it: the listing's own page, with the watch form.
    const extra = extras[only.id]!;
    return render(
      c,
      <ProductPage
        product={only}
        buy={{ buyable: extra.buyable, reason: extra.reason }}
        watch={
          <>
            {flash ? (
              <p class={`notice notice-${flash.kind === 'ok' ? 'ok' : 'warn'}`} role="status">
                {flash.text}
              </p>
            ) : null}
            <WatchForm view={view} />
          </>
        }
      />,
      status,
    );
  }
  return render(c, <ProductOffersPage view={view} />, status);
}

const uuid = z.uuid();
const manageCatalog = access.anyOf('products:manage');

/** Watch forms on product pages, the alerts page, and the admin's grouping page. */
export function offerPageRoutes() {
  const app = new Hono<AppEnv>();

  app.post('/product/:id/watch', access.signedIn, async (c) => {
    const id = c.req.param('id');
    const form = await formFields(c);
    try {
      await watchProduct(c.get('principal').user!.id, id, form, assertPublicWebhook);
    } catch (error) {
      if (error instanceof z.ZodError || error instanceof DomainError) {
        const text =
          error instanceof z.ZodError
            ? error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
            : error.message;
        const page = await renderOffersPage(c, id, { kind: 'error', text }, 400);
        if (page) return page;
      }
      throw error;
    }
    return c.redirect(`/product/${encodeURIComponent(id)}?watch=saved#watch`, 303);
  });

  app.post('/product/:id/unwatch', access.signedIn, async (c) => {
    const id = c.req.param('id');
    await unwatchProduct(c.get('principal').user!.id, id);
    return c.redirect(`/product/${encodeURIComponent(id)}#watch`, 303);
  });

  app.get('/account/alerts', access.signedIn, async (c) => {
    const userId = c.get('principal').user!.id;
    const [watches, alerts] = await Promise.all([listWatches(userId), listAlerts(userId)]);
    return render(c, <AlertsPage watches={watches} alerts={alerts} />);
  });

  app.post('/account/alerts/read', access.signedIn, async (c) => {
    await markAlertsRead(c.get('principal').user!.id);
    return c.redirect('/account/alerts', 303);
  });

  app.get('/admin/catalog/:id{[0-9a-f-]+}', manageCatalog, async (c) => {
    const grouping = await explainGrouping(c.req.param('id'));
    if (!grouping) return c.html(renderErrorPage(404, undefined, pageInfo(c)), 404);
    const done = c.req.query('done');
    const flash =
      done === 'split' ? 'The offer is a product of its own now.' : done === 'merge' ? 'Merged.' : undefined;
    return render(c, <GroupingPage grouping={grouping} flash={flash} />);
  });

  app.post('/admin/catalog/:id{[0-9a-f-]+}/merge', manageCatalog, async (c) => {
    const id = c.req.param('id');
    const from = uuid.safeParse((await formFields(c)).from?.trim());
    if (!from.success) return c.html(renderErrorPage(400, 'from: not a product id', pageInfo(c)), 400);
    await mergeProducts(id, from.data);
    return c.redirect(`/admin/catalog/${id}?done=merge`, 303);
  });

  app.post('/admin/catalog/offers/:id{[0-9a-f-]+}/split', manageCatalog, async (c) => {
    const created = await splitOffer(c.req.param('id'));
    return c.redirect(`/admin/catalog/${created}?done=split`, 303);
  });

  return app;
}
