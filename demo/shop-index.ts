import type { DemoCatalog, DemoCategory, DemoProduct } from './catalog.ts';

/** Lookups over a catalog, shared by the pages, the sitemap and the ground truth so they agree on URLs. */
export class ShopIndex {
  readonly #products = new Map<string, DemoProduct>();
  readonly #categories = new Map<string, DemoCategory>();
  readonly #byCategory = new Map<string, DemoProduct[]>();
  readonly #images = new Set<string>();

  constructor(
    readonly catalog: DemoCatalog,
    readonly pageSize: number,
  ) {
    if (!Number.isInteger(pageSize) || pageSize < 1)
      throw new Error(`pageSize must be a positive integer: ${pageSize}`);
    for (const category of catalog.categories) {
      this.#categories.set(category.slug, category);
      this.#byCategory.set(category.slug, []);
    }
    for (const product of catalog.products) {
      this.#products.set(product.slug, product);
      this.#products.set(product.id, product);
      this.#byCategory.get(product.categorySlug)?.push(product);
      for (const image of product.images) this.#images.add(image);
    }
  }

  /** By slug or id. */
  product(key: string): DemoProduct | undefined {
    return this.#products.get(key);
  }

  category(slug: string): DemoCategory | undefined {
    return this.#categories.get(slug);
  }

  productsIn(slug: string): readonly DemoProduct[] {
    return this.#byCategory.get(slug) ?? [];
  }

  topLevel(): DemoCategory[] {
    return this.catalog.categories.filter((c) => c.parentSlug === null);
  }

  children(slug: string): DemoCategory[] {
    return this.catalog.categories.filter((c) => c.parentSlug === slug);
  }

  /** Ancestors first, `category` last. */
  lineage(category: DemoCategory): DemoCategory[] {
    const parent = category.parentSlug ? this.category(category.parentSlug) : undefined;
    return parent ? [...this.lineage(parent), category] : [category];
  }

  /** Parent categories have one page (their subcategory list); leaves one per `pageSize` products. */
  pageCount(category: DemoCategory): number {
    if (!category.isLeaf) return 1;
    return Math.max(1, Math.ceil(this.productsIn(category.slug).length / this.pageSize));
  }

  hasImage(path: string): boolean {
    return this.#images.has(path);
  }

  /** Three neighbours in the same category (or the whole shop when the category is too small). */
  related(product: DemoProduct): DemoProduct[] {
    const sameCategory = this.productsIn(product.categorySlug);
    const pool = sameCategory.length >= 4 ? sameCategory : this.catalog.products;
    const at = pool.indexOf(product);
    const picked: DemoProduct[] = [];
    for (let step = 1; step < pool.length && picked.length < 3; step++) {
      const other = pool[(at + step) % pool.length];
      if (other && other !== product) picked.push(other);
    }
    return picked;
  }
}

export function categoryPath(slug: string, page = 1): string {
  return page <= 1 ? `/category/${slug}` : `/category/${slug}?page=${page}`;
}

export function productPath(product: Pick<DemoProduct, 'slug'>): string {
  return `/product/${product.slug}`;
}
