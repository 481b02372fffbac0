import type { FC } from 'hono/jsx';
import type {
  AdminProductDetail,
  AdminProductPage,
  AdminProductQuery,
  AdminProductRow,
} from '../../catalog/types.ts';
import { CsrfField } from '../components/CsrfField.tsx';
import { Field } from '../components/Field.tsx';
import { formatDate, formatPrice, safeHttpUrl } from '../format.ts';
import { AdminLayout } from './layout.tsx';

export type Notice = { kind: 'ok' | 'error'; text: string } | null;

const statusLabels: Record<AdminProductQuery['status'], string> = {
  all: 'Any',
  visible: 'On sale (visible)',
  hidden: 'Hidden',
  overridden: 'With an override',
  gone: 'Gone from the shop',
  manual: 'Created by hand',
};

const availabilityText: Record<string, string> = {
  InStock: 'In stock',
  OutOfStock: 'Out of stock',
  PreOrder: 'Pre-order',
  BackOrder: 'Back order',
  Discontinued: 'Discontinued',
  Unknown: 'Unknown',
};

export const NoticeBanner: FC<{ notice: Notice }> = ({ notice }) =>
  notice ? (
    <p class={notice.kind === 'ok' ? 'notice notice-ok' : 'notice notice-error'} role="status">
      {notice.text}
    </p>
  ) : null;

const ProductState: FC<{ row: AdminProductRow }> = ({ row }) => (
  <span class="badge-row">
    {row.override?.hidden ? <span class="badge badge-warn">Hidden</span> : null}
    {row.goneAt ? <span class="badge badge-bad">Gone</span> : null}
    {row.origin === 'manual' ? <span class="badge badge-muted">By hand</span> : null}
    {row.override && !row.override.hidden ? <span class="badge badge-accent">Override</span> : null}
    {!row.override?.hidden && !row.goneAt ? <span class="badge badge-good">On sale</span> : null}
  </span>
);

function changed(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) !== JSON.stringify(b);
}

/** The listings a user may manage, filters on top, bulk actions under the table. */
export const ProductsAdminPage: FC<{
  query: AdminProductQuery;
  result: AdminProductPage;
  notice: Notice;
}> = ({ query, result, notice }) => {
  const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
  const pageHref = (page: number) => {
    const p = new URLSearchParams();
    if (query.q) p.set('q', query.q);
    if (query.site) p.set('site', query.site);
    if (query.category) p.set('category', query.category);
    if (query.status !== 'all') p.set('status', query.status);
    p.set('page', String(page));
    return `/admin/products?${p.toString()}`;
  };
  return (
    <AdminLayout
      title="Products"
      section="products"
      actions={
        <a class="button button-primary" href="/admin/products/new">
          New product
        </a>
      }
    >
      <NoticeBanner notice={notice} />
      <form
        method="get"
        action="/admin/products"
        class="panel filters"
        hx-get="/admin/products"
        hx-target="#product-results"
        hx-select="#product-results"
        hx-swap="outerHTML"
        hx-push-url="true"
        hx-trigger="input changed delay:300ms from:#f-q, change"
      >
        <div class="form-row">
          <div class="field field-wide">
            <label for="f-q">Search</label>
            <input
              id="f-q"
              name="q"
              type="search"
              value={query.q ?? ''}
              placeholder="Title, SKU, GTIN or id"
            />
          </div>
          <div class="field">
            <label for="f-site">Shop</label>
            <select id="f-site" name="site">
              <option value="">Any</option>
              {result.sites.map((s) => (
                <option value={s} selected={query.site === s}>
                  {s}
                </option>
              ))}
            </select>
          </div>
          <Field name="category" label="Category" value={query.category ?? ''} id="f-category" />
          <div class="field">
            <label for="f-status">Status</label>
            <select id="f-status" name="status">
              {Object.entries(statusLabels).map(([value, label]) => (
                <option value={value} selected={query.status === value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div>
          <button class="button" type="submit">
            Filter
          </button>{' '}
          <a href="/admin/products">Clear</a>
        </div>
      </form>
      <div id="product-results" class="panel">
        <form method="post" action="/admin/products/bulk" class="bulk-form">
          <CsrfField />
          <input type="hidden" name="back" value={pageHref(query.page)} />
          <p class="muted" aria-live="polite">
            {result.total} {result.total === 1 ? 'listing' : 'listings'}
          </p>
          {result.items.length ? (
            <table class="data-table product-table">
              <thead>
                <tr>
                  <th scope="col" class="check-col">
                    <input
                      type="checkbox"
                      data-select-all="ids"
                      aria-label="Select every listing on this page"
                    />
                  </th>
                  <th scope="col">Listing</th>
                  <th scope="col">Shop</th>
                  <th scope="col">Category</th>
                  <th scope="col" class="amount">
                    Price
                  </th>
                  <th scope="col">Stock</th>
                  <th scope="col">State</th>
                  <th scope="col">Last crawled</th>
                </tr>
              </thead>
              <tbody>
                {result.items.map((row) => (
                  <tr>
                    <td class="check-col">
                      <input
                        type="checkbox"
                        name="ids"
                        value={row.id}
                        aria-label={`Select ${row.listed.title}`}
                      />
                    </td>
                    <td>
                      <a href={`/admin/products/${row.id}`}>{row.listed.title}</a>
                      {row.listed.title !== row.crawled.title ? (
                        <div class="muted small">crawled: {row.crawled.title}</div>
                      ) : null}
                      {row.sku ? <div class="muted small">SKU {row.sku}</div> : null}
                    </td>
                    <td>{row.site}</td>
                    <td>{row.listed.category.join(' › ') || <span class="muted">—</span>}</td>
                    <td class="amount">
                      {formatPrice(row.listed.price, row.currency) ?? <span class="muted">—</span>}
                      {row.listed.price !== row.crawled.price ? (
                        <div class="muted small">
                          crawled {formatPrice(row.crawled.price, row.currency) ?? '—'}
                        </div>
                      ) : null}
                    </td>
                    <td>{availabilityText[row.availability] ?? row.availability}</td>
                    <td>
                      <ProductState row={row} />
                    </td>
                    <td>{row.origin === 'manual' ? '—' : formatDate(row.lastSeenAt, true)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p>No listings match.</p>
          )}
          {result.items.length ? (
            <fieldset class="bulk-actions">
              <legend>With the selected listings</legend>
              <div class="form-row">
                <div class="field">
                  <label for="bulk-action">Action</label>
                  <select id="bulk-action" name="action">
                    <option value="hide">Hide</option>
                    <option value="unhide">Unhide</option>
                    <option value="markup">Set a markup (%)</option>
                    <option value="clear-price">Back to the crawled price</option>
                    <option value="clear">Remove every override</option>
                  </select>
                </div>
                <Field
                  name="percent"
                  label="Markup %"
                  id="bulk-percent"
                  hint="for “Set a markup”; negative for a discount"
                />
                <div class="field field-end">
                  <button class="button button-primary" type="submit">
                    Apply
                  </button>
                </div>
              </div>
            </fieldset>
          ) : null}
        </form>
        {pages > 1 ? (
          <nav class="pagination" aria-label="Pages">
            {query.page > 1 ? (
              <a href={pageHref(query.page - 1)} rel="prev">
                ← Previous
              </a>
            ) : null}
            <span>
              Page {query.page} of {pages}
            </span>
            {query.page < pages ? (
              <a href={pageHref(query.page + 1)} rel="next">
                Next →
              </a>
            ) : null}
          </nav>
        ) : null}
      </div>
    </AdminLayout>
  );
};

export interface OverrideFormValues {
  hidden: boolean;
  title: string;
  category: string;
  priceMode: 'none' | 'markup' | 'fixed';
  priceValue: string;
  weightG: string;
}

export function overrideFormValues(row: AdminProductRow): OverrideFormValues {
  const o = row.override;
  return {
    hidden: o?.hidden ?? false,
    title: o?.title ?? '',
    category: o?.categoryPath?.join(' > ') ?? '',
    priceMode: o?.price?.mode ?? 'none',
    priceValue: o?.price ? (o.price.mode === 'markup' ? o.price.percent : o.price.amount) : '',
    weightG: o?.weightG ? String(o.weightG) : '',
  };
}

/** One listing: crawled values beside what shoppers see, and the override form. */
export const ProductAdminPage: FC<{
  row: AdminProductDetail;
  values: OverrideFormValues;
  errors: Record<string, string>;
  notice: Notice;
  weightFromPage: number | null;
}> = ({ row, values, errors, notice, weightFromPage }) => {
  const link = safeHttpUrl(row.url);
  return (
    <AdminLayout
      title={row.listed.title}
      section="products"
      actions={
        <>
          {!row.override?.hidden ? (
            <a class="button" href={`/products/${row.id}`}>
              View in the shop
            </a>
          ) : null}
          {link ? (
            <a class="button" href={link} rel="noopener noreferrer nofollow" target="_blank">
              Open the crawled page
            </a>
          ) : null}
        </>
      }
    >
      <NoticeBanner notice={notice} />
      <p>
        <a href="/admin/products">← All products</a> · <ProductState row={row} />
      </p>
      <div class="admin-grid">
        <section class="panel" aria-labelledby="values-h">
          <h2 id="values-h">{row.origin === 'manual' ? 'As entered' : 'Crawled and listed'}</h2>
          <table class="data-table compare-table">
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">{row.origin === 'manual' ? 'Entered' : 'Crawled'}</th>
                <th scope="col">Shoppers see</th>
              </tr>
            </thead>
            <tbody>
              <tr class={changed(row.crawled.title, row.listed.title) ? 'row-changed' : undefined}>
                <th scope="row">Title</th>
                <td>{row.crawled.title}</td>
                <td>{row.listed.title}</td>
              </tr>
              <tr class={changed(row.crawled.category, row.listed.category) ? 'row-changed' : undefined}>
                <th scope="row">Category</th>
                <td>{row.crawled.category.join(' › ') || '—'}</td>
                <td>{row.listed.category.join(' › ') || '—'}</td>
              </tr>
              <tr class={changed(row.crawled.price, row.listed.price) ? 'row-changed' : undefined}>
                <th scope="row">Price</th>
                <td>{formatPrice(row.crawled.price, row.currency) ?? '—'}</td>
                <td>{formatPrice(row.listed.price, row.currency) ?? '—'}</td>
              </tr>
              <tr class={row.override?.weightG ? 'row-changed' : undefined}>
                <th scope="row">Shipping weight</th>
                <td>{weightFromPage ? `${weightFromPage} g` : 'not stated (the merchant’s default)'}</td>
                <td>
                  {row.override?.weightG
                    ? `${row.override.weightG} g`
                    : weightFromPage
                      ? `${weightFromPage} g`
                      : 'default'}
                </td>
              </tr>
              <tr>
                <th scope="row">Availability</th>
                <td colspan={2}>{availabilityText[row.availability] ?? row.availability}</td>
              </tr>
              <tr>
                <th scope="row">Shop</th>
                <td colspan={2}>{row.site}</td>
              </tr>
              <tr>
                <th scope="row">SKU / GTIN</th>
                <td colspan={2}>
                  {row.sku ?? '—'} / {row.gtin ?? '—'}
                </td>
              </tr>
              <tr>
                <th scope="row">Last seen</th>
                <td colspan={2}>
                  {row.origin === 'manual'
                    ? 'created by hand: no crawl touches it'
                    : formatDate(row.lastSeenAt, true)}
                  {row.goneAt ? ` · gone since ${formatDate(row.goneAt, true)}` : ''}
                </td>
              </tr>
            </tbody>
          </table>
          {row.override ? (
            <p class="muted small">Override last changed {formatDate(row.override.updatedAt, true)}.</p>
          ) : null}
        </section>
        <section class="panel" aria-labelledby="override-h">
          <h2 id="override-h">Override</h2>
          <p class="muted">
            Kept apart from the crawled values: recrawls update those, never these. Leave a field empty to
            show the crawled value.
          </p>
          <form method="post" action={`/admin/products/${row.id}/override`} class="stack-form">
            <CsrfField />
            <label class="check">
              <input type="checkbox" name="hidden" value="1" checked={values.hidden} /> Hidden from shoppers
            </label>
            <Field name="title" label="Title" value={values.title} error={errors.title} maxlength={300} />
            <Field
              name="category"
              label="Category"
              value={values.category}
              error={errors.categoryPath}
              hint="broadest first, separated by “>”: Kitchen > Coffee"
            />
            <fieldset class="radio-row">
              <legend>Price</legend>
              {(
                [
                  ['none', 'As crawled'],
                  ['markup', 'Markup %'],
                  ['fixed', 'Fixed price'],
                ] as const
              ).map(([mode, label]) => (
                <label class="check">
                  <input type="radio" name="priceMode" value={mode} checked={values.priceMode === mode} />{' '}
                  {label}
                </label>
              ))}
            </fieldset>
            <Field
              name="priceValue"
              label={`Markup % or fixed price${row.currency ? ` (${row.currency})` : ''}`}
              value={values.priceValue}
              error={errors.price}
            />
            <Field
              name="weightG"
              label="Shipping weight (grams)"
              type="number"
              value={values.weightG}
              error={errors.weightG}
            />
            <div class="form-actions">
              <button class="button button-primary" type="submit">
                Save override
              </button>
            </div>
          </form>
          {row.override ? (
            <form method="post" action={`/admin/products/${row.id}/override/clear`}>
              <CsrfField />
              <button class="button button-link" type="submit">
                Remove the override
              </button>
            </form>
          ) : null}
          {row.origin === 'manual' ? (
            <p>
              <a href={`/admin/products/${row.id}/edit`}>Edit this product’s own fields</a>
            </p>
          ) : null}
        </section>
      </div>
    </AdminLayout>
  );
};

export interface ManualProductFormValues {
  site: string;
  title: string;
  description: string;
  brand: string;
  sku: string;
  gtin: string;
  price: string;
  currency: string;
  availability: string;
  category: string;
  images: string;
  weightG: string;
}

/** A product a merchant sells without a crawl: new, or editing one made before. */
export const ManualProductPage: FC<{
  productId: string | null;
  sites: string[];
  values: ManualProductFormValues;
  errors: Record<string, string>;
  notice: Notice;
}> = ({ productId, sites, values, errors, notice }) => (
  <AdminLayout title={productId ? 'Edit product' : 'New product'} section="products">
    <NoticeBanner notice={notice} />
    <p>
      <a href={productId ? `/admin/products/${productId}` : '/admin/products'}>← Back</a>
    </p>
    <form
      method="post"
      action={productId ? `/admin/products/${productId}/edit` : '/admin/products/new'}
      class="panel stack-form"
    >
      <CsrfField />
      <p class="muted">
        A product you sell on Trawl that no crawl touches. It is listed in the shop you choose, with its
        orders fulfilled by that shop’s merchant.
      </p>
      <div class="field">
        <label for="m-site">Shop</label>
        <select id="m-site" name="site" required aria-describedby={errors.site ? 'm-site-error' : undefined}>
          {sites.map((s) => (
            <option value={s} selected={values.site === s}>
              {s}
            </option>
          ))}
        </select>
        {errors.site ? (
          <p class="field-error" id="m-site-error">
            {errors.site}
          </p>
        ) : null}
      </div>
      <Field name="title" label="Title" value={values.title} error={errors.title} required maxlength={300} />
      <div class="field">
        <label for="m-description">Description</label>
        <textarea id="m-description" name="description" rows={5} maxlength={20000}>
          {values.description}
        </textarea>
      </div>
      <div class="form-row">
        <Field name="price" label="Price" value={values.price} error={errors.price} required />
        <Field
          name="currency"
          label="Currency"
          value={values.currency}
          error={errors.currency}
          required
          hint="ISO code: EUR, CNY…"
        />
        <div class="field">
          <label for="m-availability">Availability</label>
          <select id="m-availability" name="availability">
            {Object.entries(availabilityText).map(([value, label]) => (
              <option value={value} selected={values.availability === value}>
                {label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div class="form-row">
        <Field name="brand" label="Brand" value={values.brand} error={errors.brand} />
        <Field name="sku" label="SKU" value={values.sku} error={errors.sku} />
        <Field name="gtin" label="GTIN (barcode)" value={values.gtin} error={errors.gtin} />
      </div>
      <Field
        name="category"
        label="Category"
        value={values.category}
        error={errors.categoryPath}
        hint="broadest first, separated by “>”"
      />
      <Field
        name="images"
        label="Image URLs"
        value={values.images}
        error={errors.images}
        hint="https addresses, separated by spaces"
      />
      <Field
        name="weightG"
        label="Shipping weight (grams)"
        type="number"
        value={values.weightG}
        error={errors.weightG}
      />
      <div class="form-actions">
        <button class="button button-primary" type="submit">
          {productId ? 'Save' : 'Create product'}
        </button>
      </div>
    </form>
  </AdminLayout>
);
