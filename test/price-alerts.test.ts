/**
 * A shopper watches a product; an offer from another shop drops below their price in a crawl;
 * the alert is in their account and its webhook is POSTed through the network guard (which
 * refuses a private address, and a name that rebinds to one).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  catalogProductOf,
  claimDueWebhooks,
  listAlerts,
  putSite,
  watchProduct,
  writeProducts,
} from '../catalog/index.ts';
import { db } from '../core/db/index.ts';
import { assertPublicUrl, setResolver } from '../crawler/network-guard.ts';
import { rebindingResolver } from '../crawler/test-dns.ts';
import { deliverDueWebhooks, deliverWebhook } from '../workers/webhooks.ts';
import { userWithRole } from './accounts.ts';
import { closeConnections } from './connections.ts';

const gtin = '4006381000024';
let server: Server;
let port: number;
const received: unknown[] = [];
const sites: Record<string, string> = {};

async function crawl(shop: string, price: string) {
  sites[shop] ??= (await putSite({ name: shop, startUrls: [`https://${shop}.example/`] })).id;
  await writeProducts([
    {
      siteId: sites[shop]!,
      runId: null,
      product: {
        url: `https://${shop}.example/kettle`,
        title: 'Fjellhus Gooseneck Kettle K200',
        description: null,
        brand: 'Fjellhus',
        sku: null,
        gtin,
        price,
        currency: 'EUR',
        availability: 'InStock',
        images: [],
        categoryPath: ['Kitchen', 'Tea'],
        attributes: {},
      },
    },
  ]);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  setResolver();
  await new Promise((resolve) => server.close(resolve));
  await closeConnections();
});

describe('price alerts', () => {
  it('alerts once an offer falls below the watched price, and again only lower', async () => {
    await crawl('alert-a', '100.00');
    await crawl('alert-b', '120.00');
    const listing = await db().product.findFirstOrThrow({ where: { siteId: sites['alert-a'] } });
    const productId = (await catalogProductOf(listing.id))!;
    const shopper = await userWithRole('shopper');
    const checked: string[] = [];
    await watchProduct(
      shopper.id,
      productId,
      { maxPrice: '90.00', currency: 'eur', webhookUrl: 'https://hooks.example/trawl' },
      async (url) => {
        checked.push(url);
      },
    );
    expect(checked).toEqual(['https://hooks.example/trawl']);
    expect(await listAlerts(shopper.id)).toEqual([]);

    await crawl('alert-b', '85.00');
    const [alert] = await listAlerts(shopper.id);
    expect(alert).toMatchObject({
      price: '85.00',
      currency: 'EUR',
      site: 'alert-b',
      webhookStatus: 'pending',
    });
    expect(alert!.catalogProductId).toBe(productId);

    await crawl('alert-b', '87.00');
    await crawl('alert-a', '89.00');
    expect(await listAlerts(shopper.id)).toHaveLength(1);
    await crawl('alert-a', '79.90');
    const alerts = await listAlerts(shopper.id);
    expect(alerts.map((a) => [a.price, a.site])).toEqual([
      ['79.90', 'alert-a'],
      ['85.00', 'alert-b'],
    ]);
  });

  it('refuses bad watches', async () => {
    const shopper = await userWithRole('shopper');
    const listing = await db().product.findFirstOrThrow({ where: { siteId: sites['alert-a'] } });
    const productId = (await catalogProductOf(listing.id))!;
    const ok = async () => {};
    for (const input of [
      { maxPrice: '-1', currency: 'EUR' },
      { maxPrice: '10', currency: 'EURO' },
      { maxPrice: '10', currency: 'EUR', webhookUrl: 'http://hooks.example/' },
      { maxPrice: '10', currency: 'EUR', webhookUrl: 'https://user:pw@hooks.example/' },
      { maxPrice: '10', currency: 'EUR', webhookUrl: 'javascript:alert(1)' },
    ]) {
      await expect(watchProduct(shopper.id, productId, input, ok), JSON.stringify(input)).rejects.toThrow();
    }
    await expect(
      watchProduct(
        shopper.id,
        productId,
        { maxPrice: '10', currency: 'EUR', webhookUrl: 'https://x.example/' },
        () => Promise.reject(new Error('private address')),
      ),
    ).rejects.toThrow('private address');
  });

  it('POSTs the webhook through the network guard: private targets and rebinding names are refused', async () => {
    const due = await claimDueWebhooks();
    expect(due.length).toBeGreaterThan(0);
    const sample = due[0]!;
    // hooks.example is this machine: refused as private, and marked so by the worker.
    setResolver(rebindingResolver('rebind-hooks.test', { 'hooks.example': '127.0.0.1' }).resolve);
    expect(await deliverWebhook({ ...sample, url: `http://hooks.example:${port}/trawl` })).toBe('refused');
    expect(await deliverWebhook({ ...sample, url: `http://127.0.0.1:${port}/trawl` })).toBe('refused');
    // The watch's check saw a public address (the first answer); the delivery's connection gets 127.0.0.1.
    await assertPublicUrl(`http://rebind-hooks.test:${port}/trawl`);
    expect(await deliverWebhook({ ...sample, url: `http://rebind-hooks.test:${port}/trawl` })).toBe(
      'refused',
    );
    expect(received).toEqual([]);
    // A host the policy allows (as a test's stand-in for a public receiver) gets the alert.
    const delivered = await deliverWebhook(
      { ...sample, url: `http://hooks.example:${port}/trawl` },
      { privateHosts: ['hooks.example'] },
    );
    expect(delivered).toBe('delivered');
    expect(received[0]).toMatchObject({ event: 'price_alert', price: sample.body.price, currency: 'EUR' });

    // The worker settles what it claimed: these addresses are private, so refused for good.
    await db().priceAlert.updateMany({
      where: { webhookStatus: 'pending' },
      data: { webhookNextAt: new Date(0) },
    });
    expect(await deliverDueWebhooks()).toBeGreaterThan(0);
    const statuses = await db().priceAlert.findMany({ select: { webhookStatus: true } });
    expect(statuses.every((s) => s.webhookStatus === 'refused')).toBe(true);
  });
});
