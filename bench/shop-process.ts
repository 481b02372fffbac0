/**
 * Serves the demo shop in a process of its own, as a real shop would be: benchmarks must
 * not share an event loop with the shop they crawl. Prints one JSON line with its URL. With
 * --requests FILE it writes every request it served (path, arrival time) there on SIGTERM.
 *
 *   node --import tsx bench/shop-process.ts [--products N] [--latency MS] [--requests FILE]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateCatalog, startDemoShop } from '../demo/index.ts';

const { values } = parseArgs({
  options: {
    products: { type: 'string', default: '540' },
    latency: { type: 'string', default: '0' },
    requests: { type: 'string' },
  },
});
const shop = await startDemoShop({
  catalog: generateCatalog({ products: Number(values.products) }),
  latencyMs: Number(values.latency),
});
process.stdout.write(`${JSON.stringify({ url: shop.url, products: shop.catalog.products.length })}\n`);
process.once(
  'SIGTERM',
  () =>
    void shop.close().then(() => {
      if (values.requests) writeFileSync(values.requests, JSON.stringify(shop.requests));
      process.exit(0);
    }),
);
