/**
 * Serves the demo shop in a process of its own, as a real shop would be: benchmarks must
 * not share an event loop with the shop they crawl. Prints one JSON line with its URL.
 *
 *   node --import tsx bench/shop-process.ts [--products N] [--latency MS]
 */
import { parseArgs } from 'node:util';
import { generateCatalog, startDemoShop } from '../demo/index.ts';

const { values } = parseArgs({
  options: {
    products: { type: 'string', default: '540' },
    latency: { type: 'string', default: '0' },
  },
});
const shop = await startDemoShop({
  catalog: generateCatalog({ products: Number(values.products) }),
  latencyMs: Number(values.latency),
});
process.stdout.write(`${JSON.stringify({ url: shop.url, products: shop.catalog.products.length })}\n`);
process.once('SIGTERM', () => void shop.close().then(() => process.exit(0)));
