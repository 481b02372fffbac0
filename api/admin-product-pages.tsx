import { type Context, Hono } from 'hono';
import { z } from 'zod';
import {
  adminProductQuerySchema,
  clearOverrides,
  createManualProduct,
  getAdminProduct,
  listAdminProducts,
  listSites,
  setOverrides,
  updateManualProduct,
} from '../catalog/index.ts';
import { DomainError, ForbiddenError } from '../core/errors.ts';
import { currentSettings } from '../core/settings.ts';
import {
  type ManualProductFormValues,
  ManualProductPage,
  type Notice,
  overrideFormValues,
  ProductAdminPage,
  ProductsAdminPage,
} from '../dashboard/index.ts';
import { access } from './access.ts';
import type { AppEnv } from './env.ts';
import { fieldMessages, formFields, render } from './pages.tsx';

const notices: Record<string, string> = {
  saved: 'Saved.',
  cleared: 'The override is removed: the listing shows its crawled values.',
  created: 'Product created.',
};

const noticeOf = (c: Context): Notice => {
  const done = c.req.query('done');
  const count = c.req.query('count');
  if (done === 'bulk')
    return { kind: 'ok', text: `Changed ${count ?? 'the'} listing${count === '1' ? '' : 's'}.` };
  return done && notices[done] ? { kind: 'ok', text: notices[done] } : null;
};

const categoryPath = (text: string | undefined) =>
  text
    ? text
        .split('>')
        .map((s) => s.trim())
        .filter(Boolean)
    : null;

/** A relative back-office URL to return to, or the product list (never another origin). */
const backTo = (value: string | undefined) =>
  value && /^\/admin\/products(\?[^\s]*)?$/.test(value) ? value : '/admin/products';

function manualValues(form: Record<string, string>, sites: string[]): ManualProductFormValues {
  return {
    site: form.site ?? sites[0] ?? '',
    title: form.title ?? '',
    description: form.description ?? '',
    brand: form.brand ?? '',
    sku: form.sku ?? '',
    gtin: form.gtin ?? '',
    price: form.price ?? '',
    currency: (form.currency ?? '').toUpperCase(),
    availability: form.availability ?? 'InStock',
    category: form.category ?? '',
    images: form.images ?? '',
    weightG: form.weightG ?? '',
  };
}

function manualInput(values: ManualProductFormValues) {
  return {
    site: values.site,
    title: values.title,
    description: values.description || null,
    brand: values.brand || null,
    sku: values.sku || null,
    gtin: values.gtin || null,
    price: values.price,
    currency: values.currency,
    availability: values.availability,
    categoryPath: categoryPath(values.category) ?? [],
    images: values.images.split(/\s+/).filter(Boolean),
    weightG: values.weightG ? Number(values.weightG) : null,
  };
}

/**
 * The back office's product pages: the listing table with filters and bulk actions, one
 * listing's override, and merchant-created products. Merchants see and change only their own
 * shops' listings (the services scope every query by the principal).
 */
export function adminProductPageRoutes() {
  const app = new Hono<AppEnv>();
  const manage = access.anyOf('products:manage', 'products:manage:own');
  const sitesOf = async (c: Context<AppEnv>) => {
    const principal = c.get('principal');
    const sites = principal.can('products:manage')
      ? await listSites()
      : await listSites({ ownerId: principal.userId ?? '' });
    return sites.map((s) => s.name);
  };

  app.get('/admin/products', manage, async (c) => {
    const query = adminProductQuerySchema.parse(
      Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== '')),
    );
    const result = await listAdminProducts(query, c.get('principal'));
    return render(c, <ProductsAdminPage query={query} result={result} notice={noticeOf(c)} />);
  });

  app.post('/admin/products/bulk', manage, async (c) => {
    const body = await c.req.parseBody({ all: true });
    const ids = z
      .array(z.uuid())
      .max(500)
      .parse([body.ids ?? []].flat());
    const action = z.enum(['hide', 'unhide', 'markup', 'clear-price', 'clear']).parse(body.action);
    const back = backTo(typeof body.back === 'string' ? body.back : undefined);
    const principal = c.get('principal');
    const separator = back.includes('?') ? '&' : '?';
    if (ids.length === 0) return c.redirect(back, 303);
    try {
      if (action === 'clear') await clearOverrides(ids, principal);
      else
        await setOverrides(
          ids,
          action === 'hide'
            ? { hidden: true }
            : action === 'unhide'
              ? { hidden: false }
              : action === 'clear-price'
                ? { price: null }
                : { price: { mode: 'markup', percent: String(body.percent ?? '').trim() } },
          principal,
        );
    } catch (error) {
      if (!(error instanceof z.ZodError) && !(error instanceof DomainError)) throw error;
      const query = adminProductQuerySchema.parse(Object.fromEntries(new URL(back, 'http://x').searchParams));
      const result = await listAdminProducts(query, principal);
      const text =
        error instanceof z.ZodError
          ? `Nothing changed: ${error.issues.map((i) => i.message).join('; ')}`
          : `Nothing changed: ${error.message}`;
      return render(
        c,
        <ProductsAdminPage query={query} result={result} notice={{ kind: 'error', text }} />,
        error instanceof DomainError && error.status === 403 ? 403 : 400,
      );
    }
    return c.redirect(`${back}${separator}done=bulk&count=${ids.length}`, 303);
  });

  app.get('/admin/products/new', manage, async (c) => {
    const [sites, settings] = await Promise.all([sitesOf(c), currentSettings()]);
    return render(
      c,
      <ManualProductPage
        productId={null}
        sites={sites}
        values={manualValues({ currency: settings.shop.defaultCurrency }, sites)}
        errors={{}}
        notice={null}
      />,
    );
  });

  const saveManual = async (c: Context<AppEnv>, productId: string | null) => {
    const form = await formFields(c);
    const sites = await sitesOf(c);
    const values = manualValues(form, sites);
    try {
      const principal = c.get('principal');
      const saved = productId
        ? await updateManualProduct(productId, manualInput(values), principal)
        : await createManualProduct(manualInput(values), principal);
      return c.redirect(`/admin/products/${saved.id}?done=${productId ? 'saved' : 'created'}`, 303);
    } catch (error) {
      if (!(error instanceof z.ZodError) && !(error instanceof DomainError)) throw error;
      const errors =
        error instanceof z.ZodError
          ? fieldMessages(error)
          : { [error instanceof ForbiddenError && error.field ? error.field : 'site']: error.message };
      return render(
        c,
        <ManualProductPage
          productId={productId}
          sites={sites}
          values={values}
          errors={errors as Record<string, string>}
          notice={{ kind: 'error', text: 'The product was not saved: see the fields marked below.' }}
        />,
        error instanceof DomainError && error.status === 403 ? 403 : 400,
      );
    }
  };
  app.post('/admin/products/new', manage, (c) => saveManual(c, null));

  const productPage = async (
    c: Context<AppEnv>,
    id: string,
    extra: {
      values?: ReturnType<typeof overrideFormValues>;
      errors?: Record<string, string>;
      notice?: Notice;
    } = {},
    status: 200 | 400 = 200,
  ) => {
    const row = await getAdminProduct(id, c.get('principal'));
    return render(
      c,
      <ProductAdminPage
        row={row}
        values={extra.values ?? overrideFormValues(row)}
        errors={extra.errors ?? {}}
        notice={extra.notice ?? noticeOf(c)}
        weightFromPage={row.statedWeightG}
      />,
      status,
    );
  };

  app.get('/admin/products/:id{[0-9a-f-]+}', manage, (c) => productPage(c, c.req.param('id')));

  app.post('/admin/products/:id{[0-9a-f-]+}/override', manage, async (c) => {
    const id = c.req.param('id');
    const form = await formFields(c);
    const priceMode = (form.priceMode ?? 'none') as 'none' | 'markup' | 'fixed';
    const values = {
      hidden: form.hidden === '1',
      title: form.title ?? '',
      category: form.category ?? '',
      priceMode,
      priceValue: form.priceValue ?? '',
      weightG: form.weightG ?? '',
    };
    const price =
      priceMode === 'markup'
        ? { mode: 'markup' as const, percent: values.priceValue }
        : priceMode === 'fixed'
          ? { mode: 'fixed' as const, amount: values.priceValue }
          : null;
    try {
      await setOverrides(
        [id],
        {
          hidden: values.hidden,
          title: values.title || null,
          categoryPath: categoryPath(values.category),
          price,
          weightG: values.weightG ? Number(values.weightG) : null,
        },
        c.get('principal'),
      );
    } catch (error) {
      if (!(error instanceof z.ZodError) && !(error instanceof DomainError)) throw error;
      if (error instanceof DomainError && error.status !== 400) throw error;
      const errors =
        error instanceof z.ZodError
          ? fieldMessages(error)
          : Object.fromEntries(
              (error as { issues?: Array<{ path: string; message: string }> }).issues?.map((i) => [
                i.path,
                i.message,
              ]) ?? [],
            );
      return productPage(
        c,
        id,
        {
          values,
          errors,
          notice: { kind: 'error', text: 'The override was not saved: see the fields marked below.' },
        },
        400,
      );
    }
    return c.redirect(`/admin/products/${id}?done=saved`, 303);
  });

  app.post('/admin/products/:id{[0-9a-f-]+}/override/clear', manage, async (c) => {
    const id = c.req.param('id');
    await clearOverrides([id], c.get('principal'));
    return c.redirect(`/admin/products/${id}?done=cleared`, 303);
  });

  app.get('/admin/products/:id{[0-9a-f-]+}/edit', manage, async (c) => {
    const row = await getAdminProduct(c.req.param('id'), c.get('principal'));
    const sites = await sitesOf(c);
    const values = manualValues(
      {
        site: row.site,
        title: row.crawled.title,
        description: row.description ?? '',
        brand: row.brand ?? '',
        sku: row.sku ?? '',
        gtin: row.gtin ?? '',
        price: row.crawled.price ?? '',
        currency: row.currency ?? '',
        availability: row.availability,
        category: row.crawled.category.join(' > '),
        images: row.images.join(' '),
        weightG: String(row.statedWeightG ?? ''),
      },
      sites,
    );
    return render(
      c,
      <ManualProductPage productId={row.id} sites={sites} values={values} errors={{}} notice={null} />,
    );
  });
  app.post('/admin/products/:id{[0-9a-f-]+}/edit', manage, (c) => saveManual(c, c.req.param('id')));

  return app;
}
