import type { Currency, DemoAvailability, DemoCatalog } from './catalog.ts';
import { decimalPrice } from './format.ts';
import { crawlablePaths } from './pages.ts';
import { productPath, ShopIndex } from './shop-index.ts';

export interface ExpectedProduct {
  /** Absolute canonical product URL. */
  url: string;
  /** The text a correct extractor gets: unescaped, e.g. with a literal "<script>". */
  title: string;
  /** Two decimals, e.g. "19.90". */
  price: string;
  currency: Currency;
  availability: DemoAvailability;
  sku: string;
  gtin: string;
  brand: string;
  categoryPath: string[];
}

/** What a correct crawl of the shop at `baseUrl` (no trailing slash) stores, one entry per product. */
export function groundTruth(catalog: DemoCatalog, baseUrl: string): ExpectedProduct[] {
  return catalog.products.map((p) => ({
    url: baseUrl + productPath(p),
    title: p.title,
    price: decimalPrice(p.priceCents),
    currency: p.currency,
    availability: p.availability,
    sku: p.sku,
    gtin: p.gtin,
    brand: p.brand,
    categoryPath: [...p.categoryPath],
  }));
}

/**
 * Distinct HTML pages a correct crawler fetches: home, every category page and every
 * product page; not robots.txt, the sitemap, images or pages robots.txt disallows.
 */
export function expectedPageCount(catalog: DemoCatalog, pageSize = 24): number {
  return expectedPagePaths(catalog, pageSize).length;
}

/** The paths counted by expectedPageCount, e.g. "/category/coffee?page=2". */
export function expectedPagePaths(catalog: DemoCatalog, pageSize = 24): string[] {
  return crawlablePaths(new ShopIndex(catalog, pageSize));
}
