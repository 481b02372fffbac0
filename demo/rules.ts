import type { SiteInput } from '../core/site.ts';

/** Crawl rules for the demo shop at `baseUrl` (no trailing slash). */
export function demoSite(baseUrl: string): SiteInput {
  return {
    name: 'demo-shop',
    title: 'Trawl Demo Shop',
    startUrls: [`${baseUrl}/`],
    include: [],
    exclude: ['/cart', '/cart/**', '/account/**'],
    productUrls: ['/product/**'],
    extraction: {
      mode: 'auto',
      // Structured data covers most pages; these selectors are what the plain pages offer.
      selectors: {
        title: 'h1.product-title',
        description: '.product-description',
        brand: '.product-brand',
        price: '.product-price',
        sku: { selector: '.sku', regex: 'SKU:\\s*(\\S+)' },
        gtin: { selector: '.gtin', regex: '(\\d{8,14})' },
        availability: '.stock',
        images: { selector: 'img.product-image', attribute: 'src', all: true },
        categoryPath: { selector: 'nav.breadcrumbs a', all: true },
      },
    },
    maxPages: 2000,
    maxConcurrency: 10,
    // Our own shop on loopback: no need to be gentle.
    politeness: { maxInFlightPerHost: 32, minDelayMs: 0 },
    respectRobotsTxt: true,
    allowPrivateNetwork: true,
  };
}
