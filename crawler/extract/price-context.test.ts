import { describe, expect, it } from 'vitest';
import { parsePage } from './dom.ts';
import { classifyPrice, phraseOf } from './price-context.ts';

/** The kind of the first element with class "p", read in its page. */
function kindOf(html: string): string | null {
  const document = parsePage(html);
  let element: import('domhandler').Element | undefined;
  const stack = [...document.children];
  while (stack.length > 0 && !element) {
    const node = stack.shift();
    if (node && node.type === 'tag') {
      if (node.attribs.class === 'p') element = node;
      stack.unshift(...node.children);
    }
  }
  if (!element) throw new Error('no element with class p');
  const text = element.children.map((c) => ('data' in c ? c.data : '')).join('');
  const amount = /\d+(?:[.,]\d+)?/.exec(text)?.[0]?.replace(',', '.') ?? '';
  const { before, after } = phraseOf(element, text, amount);
  return classifyPrice(text, before, after);
}

describe('what the words around a price say it is', () => {
  it('reads an auction’s buy-it-now, estimate and starting prices as no price paid now, with "US $" as a currency', () => {
    expect(classifyPrice('Buy It Now:\n US $249.99', '', '')).toBe('reference');
    expect(classifyPrice('US $127.50', 'Current bid:', '')).toBeNull();
    expect(classifyPrice('$1,500', 'Est.', '')).toBe('reference');
    expect(classifyPrice('$750', 'Starting Price', '')).toBe('reference');
    expect(classifyPrice('25.000 円', '即決価格', '')).toBe('reference');
  });

  it('reads unit and per-piece prices, in the text or right after it', () => {
    expect(classifyPrice('€35.00 per kg', '', '')).toBe('unit');
    expect(classifyPrice('(29,98 €* / 1 Liter)', '', '')).toBe('unit');
    expect(kindOf('<div>(<span class="p">$0.36</span> / Count)</div>')).toBe('unit');
    expect(kindOf('<div><span class="p">997 zł</span><span> /szt.</span></div>')).toBe('each');
    expect(classifyPrice('Grundpreis: 4,76 €', '', '')).toBe('unit');
  });

  it('reads instalments, "from" prices, list prices and card or member prices', () => {
    expect(classifyPrice('EMI starting from ₹440/month', '', '')).toBe('instalment');
    expect(kindOf('<p>or 4 interest-free payments of <b class="p">$12.50</b></p>')).toBe('instalment');
    expect(kindOf('<div><a>New (12) from <span class="p">$82.50</span></a></div>')).toBe('offers');
    expect(kindOf('<div>alkaen <span class="p">74,95 €</span> <span>99,95 €</span></div>')).toBe('from');
    expect(kindOf('<div>List Price: <span class="p">$39.99</span></div>')).toBe('reference');
    expect(kindOf('<div><small>Normal:</small><span class="p">$459.990</span></div>')).toBe('reference');
    expect(kindOf('<div><span class="p">$319.990</span><span>Precio con Tarjeta</span></div>')).toBe(
      'member',
    );
    expect(kindOf('<div><b>Subscribe &amp; Save:</b> <span class="p">$34.19</span></div>')).toBe('member');
    // A coupon price (Korean, Japanese), a suggested retail price (Chinese, Korean).
    expect(kindOf('<div><span>쿠폰할인가</span><strong class="p">19,710원</strong></div>')).toBe('member');
    expect(kindOf('<div>クーポン利用で<span class="p">35,820円</span></div>')).toBe('member');
    expect(kindOf('<div><span>建議售價</span><span class="p">$15,900</span></div>')).toBe('reference');
    expect(kindOf('<div>권장소비자가 <span class="p">32,000원</span></div>')).toBe('reference');
    // "Originally" in Czech; a price before tax in Japanese and Chinese.
    expect(kindOf('<p>Původně <s class="p">1 590 Kč</s></p>')).toBe('reference');
    expect(kindOf('<div><span>本体価格 </span><span class="p">3,164円</span></div>')).toBe('net');
    expect(kindOf('<div>未稅價 <span class="p">$1,200</span></div>')).toBe('net');
  });

  it('reads a label of several words before the amount, and per-container prices', () => {
    expect(classifyPrice('Ord. pris 899 kr', '', '')).toBe('reference');
    expect(classifyPrice('Før 349,00 kr.', '', '')).toBe('reference');
    expect(classifyPrice('Vejl. pris 499,-', '', '')).toBe('reference');
    expect(classifyPrice('Nu 279,00 kr.', '', '')).toBeNull();
    // GST, HST, IGV: the taxes of Australia, New Zealand, India, Canada, Peru.
    expect(classifyPrice('$81.77', 'Excl. GST:', '')).toBe('net');
    expect(classifyPrice('$89.95', 'Incl. GST:', '')).toBeNull();
    expect(kindOf('<p><span>$35.88</span> <small class="p">($2.99 per can)</small></p>')).toBe('unit');
    expect(kindOf('<div><span class="p">4,49 €</span> / Flasche</div>')).toBe('unit');
    // A card's logo labels its price as its name would.
    expect(kindOf('<div><span class="p">$ 39.990</span> <img alt="CMR" src="/cmr.svg"></div>')).toBe(
      'member',
    );
  });

  it("leaves a plain price alone, and does not read the next price's label as its own", () => {
    expect(kindOf('<div><span class="p">$35.99</span> (<span>$0.36</span> / Count)</div>')).toBeNull();
    expect(kindOf('<div><small>Internet:</small><span class="p">$349.990</span></div>')).toBeNull();
    expect(
      kindOf('<p><del>£45.00</del> Original price was: £45.00.<ins><bdi class="p">£42.00</bdi></ins></p>'),
    ).toBeNull();
  });
});
