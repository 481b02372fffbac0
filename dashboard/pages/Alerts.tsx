import type { FC } from 'hono/jsx';
import type { AlertView, WatchView } from '../../catalog/types.ts';
import { CsrfField } from '../components/CsrfField.tsx';
import { Price } from '../components/Price.tsx';
import { formatDate } from '../format.ts';
import { Layout } from '../layout.tsx';
import { productHref } from '../urls.ts';

/** A shopper's price watches and the alerts they raised, newest first. */
export const AlertsPage: FC<{ watches: WatchView[]; alerts: AlertView[] }> = ({ watches, alerts }) => (
  <Layout title="Price alerts">
    <h1>Price alerts</h1>
    <section class="panel" id="alerts">
      <h2>Alerts</h2>
      {alerts.length === 0 ? (
        <p class="muted">No alert yet: you are told here when a watched product gets cheaper.</p>
      ) : (
        <>
          <ul class="alerts">
            {alerts.map((alert) => (
              <li class={alert.readAt ? 'alert-read' : 'alert-unread'}>
                <a href={productHref(alert.catalogProductId)}>{alert.title}</a> at {alert.site}:{' '}
                <Price price={alert.price} currency={alert.currency} />{' '}
                <span class="muted">{formatDate(alert.createdAt, true)}</span>
                {alert.webhookStatus ? <span class="muted"> · webhook {alert.webhookStatus}</span> : null}
              </li>
            ))}
          </ul>
          <form method="post" action="/account/alerts/read">
            <CsrfField />
            <button class="button" type="submit">
              Mark all read
            </button>
          </form>
        </>
      )}
    </section>
    <section class="panel" id="watches">
      <h2>Watches</h2>
      {watches.length === 0 ? (
        <p class="muted">You watch no product. Open a product and set a price to watch it.</p>
      ) : (
        <ul class="watches">
          {watches.map((watch) => (
            <li>
              <a href={productHref(watch.catalogProductId)}>
                {watch.title ?? 'A product no shop offers now'}
              </a>{' '}
              below <Price price={watch.maxPrice} currency={watch.currency} />
              {watch.webhookUrl ? <span class="muted"> · webhook {watch.webhookUrl}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  </Layout>
);
