import { renderBigCommerce } from './bigcommerce.ts';
import type { PageSpec } from './common.ts';
import { renderMagento } from './magento.ts';
import { renderMarketplace } from './marketplace.ts';
import { renderPlain } from './plain.ts';
import { renderPrestaShop } from './prestashop.ts';
import { renderSfcc } from './sfcc.ts';
import { renderShopify } from './shopify.ts';
import { renderShopware } from './shopware.ts';
import { renderWooCommerce } from './woocommerce.ts';

const RENDERERS: Record<string, (spec: PageSpec) => string> = {
  marketplace: renderMarketplace,
  'marketplace-fk': renderMarketplace,
  shopify: renderShopify,
  magento: renderMagento,
  woocommerce: renderWooCommerce,
  shopware: renderShopware,
  prestashop: renderPrestaShop,
  bigcommerce: renderBigCommerce,
  sfcc: renderSfcc,
  plain: renderPlain,
};

/** The HTML of one page of the second development set, in its platform's markup. */
export function renderDevsetPage(spec: PageSpec): string {
  const render = RENDERERS[spec.family];
  if (!render) throw new Error(`no template for family ${spec.family}`);
  return render(spec);
}
