import type { FC } from 'hono/jsx';
import type { Grouping } from '../../catalog/types.ts';
import { CsrfField } from '../components/CsrfField.tsx';
import { Field } from '../components/Field.tsx';
import { Price } from '../components/Price.tsx';
import { productHref } from '../urls.ts';
import { AdminLayout } from './layout.tsx';

/** Why these listings are one product, and an admin's hand on it: split an offer off, merge another product in. */
export const GroupingPage: FC<{ grouping: Grouping; flash?: string | undefined }> = ({ grouping, flash }) => (
  <AdminLayout title="Product grouping" section="products">
    {flash ? (
      <p class="notice notice-ok" role="status">
        {flash}
      </p>
    ) : null}
    <p>
      <a href={productHref(grouping.id)}>The product as shoppers see it</a> · {grouping.offers.length}{' '}
      {grouping.offers.length === 1 ? 'offer' : 'offers'}
    </p>
    <section class="panel">
      <h2>Offers and why they are here</h2>
      <div class="table-scroll">
        <table class="data-table">
          <thead>
            <tr>
              <th scope="col">Shop</th>
              <th scope="col">Title as crawled</th>
              <th scope="col">Price</th>
              <th scope="col">Why</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {grouping.offers.map((offer) => (
              <tr data-offer={offer.id}>
                <td>{offer.site}</td>
                <td>
                  <a href={`/admin/products/${offer.id}`}>{offer.title}</a>
                  {offer.gtin ? <span class="muted"> · GTIN {offer.gtin}</span> : null}
                </td>
                <td>
                  <Price price={offer.price} currency={offer.currency} />
                </td>
                <td>
                  {offer.explanation}
                  {offer.locked ? <span class="muted"> · placed by hand: crawls leave it here</span> : null}
                </td>
                <td>
                  {grouping.offers.length > 1 ? (
                    <form method="post" action={`/admin/catalog/offers/${offer.id}/split`}>
                      <CsrfField />
                      <button class="button" type="submit">
                        Split off
                      </button>
                    </form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
    <section class="panel">
      <h2>Identity keys</h2>
      {grouping.keys.length === 0 ? (
        <p class="muted">None: only an admin can add offers to this product.</p>
      ) : (
        <ul>
          {grouping.keys.map((key) => (
            <li>
              <code>{key.key}</code> — {key.explanation}
            </li>
          ))}
        </ul>
      )}
    </section>
    <section class="panel">
      <h2>Merge another product into this one</h2>
      <form method="post" action={`/admin/catalog/${grouping.id}/merge`} class="stack-form">
        <CsrfField />
        <div class="form-row">
          <Field
            name="from"
            label="Product id"
            id="merge-from"
            required
            hint="its offers join this product and stay here when crawled again"
          />
          <div class="field field-end">
            <button class="button button-primary" type="submit">
              Merge
            </button>
          </div>
        </div>
      </form>
    </section>
  </AdminLayout>
);
