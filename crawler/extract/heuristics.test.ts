import { describe, expect, it } from 'vitest';
import { extractHeuristics, urlIdentifier } from './heuristics.ts';
import { extractProduct } from './index.ts';
import { extractorPage as at, jsonLd } from './test-helpers.ts';

const found = (html: string, url?: string) =>
  Object.fromEntries(
    Object.entries(extractHeuristics(at(html, url)) ?? {}).map(([k, v]) => [
      k,
      (v as { value: unknown }).value,
    ]),
  );

describe('availability from the buy box', () => {
  it('ignores hidden templates and other sellers further from the buy box', () => {
    const html = `<h1>Skillet</h1><span class="price">$29.99</span>
      <div id="outOfStock" class="a-section aok-hidden"><span>Currently unavailable.</span></div>
      <div id="availability"><span>In Stock</span></div>
      <button id="add-to-cart-button">Add to Cart</button>
      ${'<div><p>Details</p></div>'.repeat(40)}
      <div class="offers"><div class="availability">Currently unavailable.</div><span>Seller 2</span></div>`;
    expect(found(html).availability).toBe('InStock');
  });

  it('reads every size disabled as out of stock, and some enabled beside disabled ones as in stock', () => {
    // Radio inputs (Shopify), a select's options (WooCommerce), swatches (Magento), plain buttons.
    const radios = ['XS', 'S', 'M']
      .map(
        (s, i) =>
          `<input type="radio" id="t${i}" name="Taille" value="${s}" disabled><label for="t${i}">${s}</label>`,
      )
      .join('');
    expect(
      found(`<h1>Sweat</h1><span class="price">89,00 €</span><fieldset><legend>Taille</legend>${radios}</fieldset>
        <button type="submit" name="add" disabled>Ajouter au panier</button>`).availability,
    ).toBe('OutOfStock');
    expect(
      found(`<h1>Jumper</h1><p class="price">£74.00</p><select name="attribute_pa_size"><option value="">Choose an option</option>
        <option value="s" disabled>Small</option><option value="m" disabled>Medium</option></select>
        <button type="submit" class="single_add_to_cart_button disabled">Add to basket</button>`)
        .availability,
    ).toBe('OutOfStock');
    // An enabled buy button has nothing to buy when every swatch is disabled.
    expect(
      found(`<h1>Camicia</h1><span class="price">69,00 €</span><div role="listbox">
        <div class="swatch-option text disabled" role="option" aria-disabled="true">38</div>
        <div class="swatch-option text disabled" role="option" aria-disabled="true">39</div></div>
        <button type="submit" class="action primary tocart">Aggiungi al carrello</button>`).availability,
    ).toBe('OutOfStock');
    // Two sizes left: in stock, though the buy button waits for a size.
    expect(
      found(`<h1>Schuh</h1><span class="preis">139,90 €</span><div><span>Größe wählen:</span>
        <button type="button" disabled>40</button><button type="button">42</button><button type="button" disabled>43</button></div>
        <button type="button" disabled>In den Warenkorb</button>`).availability,
    ).toBe('InStock');
    // Each size in a list item of its own; swatches marked sold out beside available ones.
    expect(
      found(`<h1>Beanie</h1><div class="price">€34,95</div><ul><li><button type="button" class="size-btn is-unavailable" aria-disabled="true">S/M</button></li>
        <li><button type="button" class="size-btn is-unavailable" aria-disabled="true">L/XL</button></li></ul>
        <button type="submit" name="add">In winkelwagen</button>`).availability,
    ).toBe('OutOfStock');
    expect(
      found(`<h1>Tee</h1><p class="price">£20.00</p><ul class="swatches"><li class="swatch swatch--unavailable"><span>S</span><span>Sold out</span></li>
        <li class="swatch"><span>M</span></li></ul><button type="button">Add to bag</button>`).availability,
    ).toBe('InStock');
    // Nor are review pages whose "Previous" is disabled on the first.
    expect(
      found(`<h1>Kettle</h1><div class="price">$86.00</div><button type="button" disabled>Add to cart</button>
        <div><button type="button" disabled>Previous</button><button type="button">1</button><button type="button">2</button><button type="button">Next</button></div>`)
        .availability,
    ).toBe('OutOfStock');
    // A quantity stepper is no variant picker.
    expect(
      found(`<h1>Organizer</h1><div class="price">$86.00</div><div><button type="button">−</button><input type="text" value="1"><button type="button">+</button></div>
        <button type="button" disabled>Add to cart</button>`).availability,
    ).toBe('OutOfStock');
  });

  it('reads a stock line set apart by <br> and a yes/no cell after a stock-worded label', () => {
    const oldLayout = `<table><tr><td><h2>Dutch Oven</h2><font><b>$64.99</b></font><br>Out of stock<br><br>Item number: PKS-DO5<br>Ships from Omaha.<br></td></tr></table>
      ${'<p>Details</p>'.repeat(12)}<table><tr><td><a href="/p/211">Skillet</a> $39.99 In stock</td></tr></table>`;
    expect(found(oldLayout).availability).toBe('OutOfStock');
    const row = (label: string, value: string) =>
      `<h1>Tap</h1><table><tr><td>Price</td><td>$24.50</td></tr><tr><td>${label}</td><td>${value}</td></tr></table>`;
    expect(found(row('In stock', 'No')).availability).toBe('OutOfStock');
    expect(found(row('Finns i lager', 'Ja')).availability).toBe('InStock');
    expect(found(row('Auf Lager', '0')).availability).toBe('OutOfStock');
    expect(found(row('In stock', 'Yes')).availability).toBe('InStock');
    // A count as a stock label's value; a PrestaShop notice that there are not enough in stock.
    expect(
      found('<h1>Zündkerze</h1><ul><li>Preis: 4,95 €</li><li>Lagerbestand: 0</li></ul>').availability,
    ).toBe('OutOfStock');
    expect(
      found('<h1>Zündkerze</h1><ul><li>Preis: 4,95 €</li><li>Lagerbestand: 12 Stück</li></ul>').availability,
    ).toBe('InStock');
    expect(
      found(`<h1>Aceite</h1><span class="current-price-value">42,50 €</span><button class="add-to-cart" disabled>Añadir al carrito</button>
        <span id="product-availability">No hay suficientes productos en stock</span>`).availability,
    ).toBe('OutOfStock');
  });

  it('reads a sold-out notice with no enabled buy button as out of stock, above structured data', () => {
    const html = `${jsonLd({ '@type': 'Product', name: 'Mug', offers: { price: '42.00', priceCurrency: 'USD', availability: 'http://schema.org/InStock' } })}
      <h1>Mug</h1><div class="price price--sold-out"><span class="price-item">$42.00</span>
      <span class="badge">Sold out</span></div>
      <button type="submit" name="add" disabled><span>Sold out</span></button>`;
    const result = extractProduct({ url: 'https://shop.example/products/mug', html });
    expect(result.product?.availability).toBe('OutOfStock');
    expect(result.chosen.availability?.source).toBe('heuristics');
  });

  it('does not read a variant picker\'s "sold out" or a disabled-until-chosen button as out of stock', () => {
    const html = `<h1>Tee</h1><span class="price">$28.00</span><p class="stock in-stock">4 in stock</p>
      <fieldset><label>S<span class="visually-hidden">Variant sold out or unavailable</span></label></fieldset>
      <button class="single_add_to_cart_button disabled">Add to cart</button>`;
    expect(found(html).availability).toBe('InStock');
  });

  it('reads a plain stock line and a labelled value on pages without markup', () => {
    expect(found('<h1>Board</h1><div>Price: $148.00</div><div>Out of stock</div>').availability).toBe(
      'OutOfStock',
    );
    expect(
      found(
        '<h1>Book</h1><p>£37.59</p><table><tr><th>Availability</th><td>In stock (14 available)</td></tr></table>',
      ).availability,
    ).toBe('InStock');
    // A channel may label the line: "Shipping: Out of stock".
    expect(
      found(
        '<h1>Bricks</h1><span class="p">$34.99</span><div>Shipping: Out of stock</div><div>Pickup: Sold out</div>',
      ).availability,
    ).toBe('OutOfStock');
    // A sentence that merely contains the words is no stock line.
    expect(
      found('<h1>Pan</h1><p>$19.99</p><ul><li>Date First Available</li></ul>').availability,
    ).toBeUndefined();
  });

  it('reads a count of units left as a stock line, zero as out of stock, in any language', () => {
    const page = (line: string, price = '฿1,290') => `<h1>Kettle</h1><p>${price}</p><div>${line}</div>`;
    expect(found(page('เหลือ 3 ชิ้น')).availability).toBe('InStock');
    expect(found(page('เหลือ 0 ชิ้น')).availability).toBe('OutOfStock');
    expect(found(page('Only 2 left!', '$19.99')).availability).toBe('InStock');
    expect(found(page('0 in stock', '$19.99')).availability).toBe('OutOfStock');
    expect(found(page('残り1点', '¥3,980')).availability).toBe('InStock');
    // A sale's countdown is no count of units.
    expect(found(page('Only 3 days left', '$19.99')).availability).toBeUndefined();
  });
});

describe('the main price', () => {
  it('takes the price over unit, subscription and card-holder prices beside it', () => {
    expect(
      found(`<h1>Pods</h1><div><span class="a-price"><span>$35.99</span></span>
        (<span class="a-price"><span>$0.36</span></span> / Count)</div>
        <div><b>Subscribe &amp; Save:</b> <span class="a-price"><span>$34.19</span></span></div>
        <button>Add to Cart</button>`).price,
    ).toBe('$35.99');
    expect(
      found(`<h1>Sofa</h1><div class="price-tc">$319.990</div><span>Precio con Tarjeta</span>
        <div><small>Internet:</small><span class="price">$349.990</span></div>
        <div><small>Normal:</small><span class="price">$459.990</span></div><button>Agregar a la bolsa</button>`)
        .price,
    ).toBe('$349.990');
  });

  it("takes no price from other products' cards when the buy box shows none", () => {
    const html = `<h1>Lodge Skillet</h1><div id="availability">Currently unavailable.</div>
      <ol><li><a href="/lodge-10-inch-skillet/dp/B0001">Lodge 10.25 Inch Cast Iron Skillet</a><span>$19.90</span></li>
      <li><a href="/victoria-skillet/dp/B0002">Victoria 12-Inch Cast Iron Skillet</a><span>$36.99</span></li></ol>`;
    expect(found(html, 'https://shop.example/lodge-skillet/dp/B00G2XGC88').price).toBeUndefined();
  });

  it('reads no article number, quantity or single-letter code as a price', () => {
    expect(
      found(`<h1>Pan</h1><div class="product-info-price"><div class="sku">1702282800</div>
        <span class="price">54,95 €</span></div>`).price,
    ).toBe('54,95 €');
    expect(
      found(`<h1>Oil</h1><p class="product-detail-price">14,99 €*</p>
        <div class="product-detail-price-unit"><span class="price-unit-content">0.5 Liter</span></div>`)
        .price,
    ).toBe('14,99 €*');
    expect(
      found('<h1>Pan</h1><table><tr><td class="value">L10SK3ASHH41B</td></tr></table>').price,
    ).toBeUndefined();
  });
});

describe('identifiers', () => {
  it('reads marketplace item codes from the URL', () => {
    expect(urlIdentifier('https://www.amazon.com/Lodge-Skillet/dp/B00G2XGC88/ref=sr_1_1')).toBe('B00G2XGC88');
    expect(urlIdentifier('https://www.flipkart.com/x/p/itm4e1b2?pid=MIXFSZYWHNZSZGQH')).toBe(
      'MIXFSZYWHNZSZGQH',
    );
    expect(urlIdentifier('https://shop.example/products/organic-cotton-tee')).toBeUndefined();
  });

  it("reads the item id from the canonical URL's path when the page URL has none, before a model number", () => {
    const html = `<html><head><link rel="canonical" href="/product/folding-camp-chair/100483922.html"></head><body>
      <h1>Folding Camp Chair</h1><span class="price">$44.97</span><button>Add to Cart</button>
      <table><tr><td>Model #</td><td>CC-200T</td></tr></table></body></html>`;
    expect(found(html, 'https://www.outdoormart.example/search?q=camp+chair').sku).toBe('100483922');
    expect(
      found(html.replace('/100483922.html', '.html'), 'https://www.outdoormart.example/search?q=chair').sku,
    ).toBe('CC-200T');
  });

  it('prefers the ASIN in the details table over the model number', () => {
    const html = `<h1>Headphones</h1><table><tr><th>Item model number</th><td>A3040</td></tr>
      <tr><th>ASIN</th><td>B0BTYCRJSS</td></tr></table>`;
    expect(found(html, 'https://www.amazon.com/dp/B0BTYCRJSS').sku).toBe('B0BTYCRJSS');
  });
});

describe('pages read by heuristics alone', () => {
  it('reads buy and notify controls in Vietnamese, Indonesian, Thai, Turkish, Arabic and Hebrew', () => {
    const stock = (controls: string) =>
      found(`<h1>Nồi cơm điện</h1><p class="price">1.290.000₫</p>${controls}`).availability;
    expect(stock('<button disabled>Thêm vào giỏ</button>')).toBe('OutOfStock');
    expect(stock('<button>Thêm vào giỏ</button>')).toBe('InStock');
    expect(stock('<button disabled>+ Keranjang</button>')).toBe('OutOfStock');
    expect(stock('<button class="btn-cart" disabled>หยิบใส่ตะกร้า</button>')).toBe('OutOfStock');
    expect(stock('<a class="btn" href="/stok-bildirim">Gelince Haber Ver</a>')).toBe('OutOfStock');
    expect(stock('<button disabled>أضف إلى السلة</button>')).toBe('OutOfStock');
    expect(stock('<button disabled>הוסף לסל</button>')).toBe('OutOfStock');
  });

  it('reads size pickers made of plain links, above or below the heading', () => {
    const links = (marks: string[], where: 'above' | 'below', wrapper = 'nav') => {
      const picker = `<${wrapper} class="sizes">${marks
        .map((m, i) => `<a href="?size=${i}"${m}>${['S', 'M', 'L'][i]}</a>`)
        .join('')}</${wrapper}>`;
      const head = '<h1>Linen Shirt</h1><p class="price">1 290 Kč</p>';
      return found(
        `<header><nav><a href="/">Home</a><a href="/shop">Shop</a></nav></header><div class="product">${where === 'above' ? picker + head : head + picker}<button type="submit">Do košíku</button></div>`,
      ).availability;
    };
    // Every size marked unavailable (aria-disabled, a class, a crossed-out label): sold out.
    expect(
      links(
        [' aria-disabled="true"', ' class="sold-out"', ' style="text-decoration: line-through"'],
        'above',
      ),
    ).toBe('OutOfStock');
    expect(
      links([' aria-disabled="true"', ' aria-disabled="true"', ' aria-disabled="true"'], 'below', 'div'),
    ).toBe('OutOfStock');
    // Some left: in stock; none marked: links, no picker.
    expect(links([' aria-disabled="true"', '', ''], 'above')).toBe('InStock');
    expect(links(['', '', ''], 'above')).toBe('InStock');
    const struck = found(
      '<div class="p"><div class="sizes"><a href="?s=1"><s>S</s></a><a href="?s=2"><del>M</del></a></div><h1>Linen Shirt</h1><p class="price">€ 49,00</p><button>Add to cart</button></div>',
    ).availability;
    expect(struck).toBe('OutOfStock');
    const told = found(
      '<h1>Linen Shirt</h1><p class="price">€ 49,00</p><div class="sizes"><a href="?s=1" aria-label="S, sold out">S</a><a href="?s=2" title="M – Ausverkauft">M</a></div><button>Add to cart</button>',
    ).availability;
    expect(told).toBe('OutOfStock');
  });

  it('takes the second of two unmarked amounts side by side, when it is lower, as the price', () => {
    const pair = (a: string, b: string, attrs = ['', '']) =>
      found(
        `<h1>Áo khoác gió</h1><div class="gia"><span${attrs[0]}>${a}</span> <span${attrs[1]}>${b}</span></div><button>Mua ngay</button>`,
      ).price;
    expect(pair('450.000 đ', '389.000 đ')).toBe('389.000 đ');
    expect(pair('1.499,90 TL', '1.249,90 TL')).toBe('1.249,90 TL');
    // Both in one element, each with its symbol before it.
    expect(
      found('<h1>Canvas Backpack</h1><div class="price">฿1,290 ฿990</div><button>Add to cart</button>').price,
    ).toBe('฿990');
    // A saving or shipping amount in their words is no price: "Tiết kiệm 61.000 đ", "Kargo 29,90 TL".
    expect(
      found('<h1>Áo</h1><p class="price"><span>Tiết kiệm 61.000 đ</span></p><p class="price">389.000 đ</p>')
        .price,
    ).toBe('389.000 đ');
    expect(
      found('<h1>Kupa</h1><p class="price"><span>Kargo 29,90 TL</span></p><p class="price">118,99 TL</p>')
        .price,
    ).toBe('118,99 TL');
    // Lower first is no old price; a far lower second is another amount (a part, a deposit).
    expect(pair('389.000 đ', '450.000 đ')).toBe('389.000 đ');
    expect(pair('£89.99', '£9.99')).toBe('£89.99');
    // A gross price and a net one, told apart only by markup, are no old and new price.
    expect(pair('£89.99', '£74.99', ['', ' data-label="Excl. Tax"'])).toBe('£89.99');
    expect(pair('£89.99', '£74.99', [' class="price-including-tax"', ' class="price-excluding-tax"'])).toBe(
      '£89.99',
    );
    // Words between them make them no pair.
    expect(
      found('<h1>Kettle</h1><div><span>£40.00</span> <span>or two for</span> <span>£30.00</span></div>')
        .price,
    ).toBe('£40.00');
  });

  it('reads prices set in parts and cents set apart', () => {
    expect(found('<h1>Speaker</h1><div class="price">$249<span class="cents">99</span></div>').price).toBe(
      '$249.99',
    );
    expect(
      found('<h1>Panel</h1><span class="price"><span>25</span><span>,99</span><span>zł</span></span>').price,
    ).toBe('25,99zł');
  });

  it('takes a "from" price that is the product\'s own, but not other offers\' "from"', () => {
    expect(
      found('<h1>Jacket</h1><div><span>alkaen 74,95 €</span><div><span>99,95 €</span></div></div>').price,
    ).toBe('alkaen 74,95 €');
  });

  it('keeps a buy box that links to shipping terms, and a theme whose product block is a "slider" variant', () => {
    const html = `<h1>Safran</h1><div class="product-detail-buy"><p class="product-detail-price">9,95 €*</p>
      <a href="/widgets/shipping-information">Preise inkl. MwSt. zzgl. Versandkosten</a></div>`;
    expect(found(html, 'https://shop.example/safran/FK-10088').price).toBe('9,95 €*');
    const dawn = `<div class="product product--thumbnail_slider"><h1>Mug</h1><div class="price price--sold-out">
      <span class="price-item">$42.00</span></div><button type="submit" name="add" disabled><span>Sold out</span></button></div>`;
    expect(found(dawn).availability).toBe('OutOfStock');
  });

  it("reads a disabled main buy button as out of stock though another product's button is enabled", () => {
    const html = `<div class="top"><a href="/">Shop</a> <a href="/warenkorb">Warenkorb (0)</a></div>
      <h1>Olivenöl 0,75 l</h1><div class="preis">19,90 €</div>
      <button class="btn-warenkorb" type="submit" disabled="disabled">In den Warenkorb</button>
      <table><tr><td>Art.-Nr.:</td><td>SH-OL-075</td></tr><tr><td>Herkunft:</td><td>Griechenland</td></tr></table>
      <div class="kachel"><a href="/balsamico">Balsamico Bianco 0,5 l</a> <span>12,50 €</span> <button>In den Warenkorb</button></div>`;
    expect(found(html).availability).toBe('OutOfStock');
    // A working button right after a disabled placeholder is the buy box's own.
    const placeholder = `<h1>Mug</h1><span class="price">$12.00</span><button class="add-to-cart" disabled>Add to cart</button>
      <button class="add-to-cart">Add to cart</button>`;
    expect(found(placeholder).availability).toBe('InStock');
  });

  it('reads stock words in a block of other products that a sub-heading opens as theirs', () => {
    const html = `<h1>Morral Wayuu Kanaas</h1><p class="price">$ 189.900</p><p>¡Últimas 2 unidades!</p>
      <button type="submit">Añadir al carrito</button>
      <div class="more"><h2>Más productos</h2><a href="/mochila-wayuu-pequena">Mochila Wayuu Pequeña</a>
      <span>$ 95.000</span> <span>Agotado</span></div>`;
    expect(found(html).availability).toBe('InStock');
    // A sub-heading between the heading and the price opens the buy box itself (eBay's "Item Information").
    const ebay = `<h1>Silk Scarf</h1><div><h2>Item Information</h2><a href="/help/condition">See all condition definitions</a>
      <span class="price">GBP 1.99</span><a href="/shipping">See shipping details</a><button>Buy it now</button></div>`;
    expect(found(ebay).price).toBe('GBP 1.99');
    // Past the buy button too, when the price sits above the heading (Etsy), and a currency in a
    // child of its own still makes a price.
    const etsy = `<div><p>Price: <span class="currency-symbol">£</span><span class="currency-value">38.00</span></p>
      <h1>Oak Chopping Board</h1><p>Low in stock, only 2 left</p><button type="submit">Add to basket</button>
      <div><h2>You may also like</h2><a href="/listing/1098765432/walnut-serving-board">Walnut Serving Board Personalised</a>
      <span>£45.00</span><span>Sold out</span></div></div>`;
    expect(found(etsy)).toMatchObject({ price: 'Price: £38.00', availability: 'InStock' });
    // A sub-heading over the product's own details keeps them: no link to another product there.
    const details = `<h1>Tea Towel</h1><span class="price">£16.00</span><button>Add to basket</button>
      <div><h2>Details</h2><p>Out of stock</p><p>Ships from £3.95</p></div>`;
    expect(found(details).availability).toBe('OutOfStock');
  });

  it("does not read one store's or a pickup option's stock as the product's", () => {
    const html = `<h1>Water Bottle 32oz</h1><span class="price">$34.99</span>
      <div><span>Shipping</span> <span>Arrives by Fri, Jun 14</span></div>
      <div><span>Pickup</span> <span>Out of stock at Downtown Minneapolis</span></div>
      <button type="button">Add to cart</button>`;
    expect(found(html).availability).toBe('InStock');
    // "Out of stock online" is the product's own.
    const online = `<h1>Grill</h1><span class="price">$649.00</span><div class="stock">Out of stock online</div>
      <button disabled>Add to Cart</button>`;
    expect(found(online).availability).toBe('OutOfStock');
  });

  it('reads a sold-out notice whose first sentence says so, and not a description that opens with "available"', () => {
    const notice = `<h1>Pressure Cooker 5 L</h1><div class="pd-price"><span>₹2,199</span></div>
      <div class="notice">Currently unavailable. We don't know when or if this item will be back in stock.</div>
      <button class="btn-primary" disabled>Add to Bag</button>`;
    expect(extractHeuristics(at(notice))?.availability).toMatchObject({
      value: 'OutOfStock',
      confidence: 0.92,
    });
    const german = `<h1>Olivenöl</h1><div class="vk">19,90 €</div>
      <div class="hinweis">Leider ausverkauft – dieser Artikel ist derzeit nicht lieferbar.</div>`;
    expect(found(german).availability).toBe('OutOfStock');
    const dutch = `<h1>501 Original Jeans</h1><p class="price">€ 109,95</p><p>Dit artikel is uitverkocht</p>
      <button class="notify" type="button">Laat het me weten</button>`;
    expect(extractHeuristics(at(dutch))?.availability).toMatchObject({
      value: 'OutOfStock',
      confidence: 0.92,
    });
    const french = `<h1>Ruban</h1><p>11,95 €</p><p>En rupture de stock</p>`;
    expect(found(french).availability).toBe('OutOfStock');
    const description = `<h1>Tote</h1><span class="price">$49.00</span>
      <p>Available in three colours. Made from waxed canvas with leather handles and a brass snap.</p>`;
    expect(found(description).availability).toBeUndefined();
  });

  it('reads no stock from a buy button that waits for a size to be chosen', () => {
    const html = `<h1>Boot</h1><span class="price">$168.00</span><select name="size"><option>9</option></select>
      <button class="add-to-cart" disabled>Add to Cart</button>`;
    expect(found(html).availability).toBeUndefined();
  });
});

describe('the main price among labelled and crossed-out amounts', () => {
  it('does not take a label beside a crossed-out amount for a price set in parts', () => {
    const html = `<h1>青花瓷茶杯</h1>
      <div class="price-line"><span class="lbl">价格</span> <del>¥168.00</del></div>
      <div class="price-line"><span class="lbl">促销价</span> <em class="cur">¥128.00</em></div>
      <a class="add" href="/cart/add?id=1">加入购物车</a>`;
    expect(found(html).price).toContain('128.00');
  });

  it('keeps a price marked "regular" when only a member price stands beside it', () => {
    const html = `<h1>Dutch Oven</h1><div class="prices"><div class="member-price">Member price <strong>$101.15</strong></div>
      <div class="regular-price"><strong>$119.00</strong></div></div><button>Add to cart</button>`;
    expect(found(html).price).toBe('$119.00');
    // Beside a plain current price, a "regular" one is still the old price.
    const sale = `<h1>Dutch Oven</h1><div class="prices"><div class="regular-price">$119.00</div>
      <div class="sale-price">$99.00</div></div><button>Add to cart</button>`;
    expect(found(sale).price).toBe('$99.00');
  });

  it('takes an amount in a unit-price class only when nothing else is the price, and trusts it less', () => {
    const html = `<h1>Greek Style Yoghurt 1kg</h1><div class="offer">Loyalty Card Price £2.75</div>
      <p class="price-per-sellable-unit"><span class="value">£3.50</span></p><p class="price-per-quantity-weight">£3.50/kg</p>
      <button class="add-control">Add</button>`;
    expect(extractHeuristics(at(html))?.price).toMatchObject({ value: '£3.50', confidence: 0.35 });
    const beside = `<h1>Olive Oil 0.75 l</h1><span class="price">€19.90</span><span class="base-price">€26.53</span>`;
    expect(found(beside).price).toBe('€19.90');
  });

  it('reads plain-text prices with their labels: card, normal, UVP, MRP, an instalment block above', () => {
    const chile = `<h1>Lámpara</h1><p>Precio normal $59.990</p><p>Precio internet $39.990</p>
      <p>Precio tarjeta $35.990</p><button>Agregar al carro</button>`;
    expect(found(chile).price).toBe('Precio internet $39.990');
    expect(
      found('<h1>Lampe</h1><p>UVP 59,99 €</p><p>39,99 €</p><button>In den Warenkorb</button>').price,
    ).toBe('39,99 €');
    expect(found('<h1>Kurta</h1><p>MRP ₹1,999</p><p>₹1,299</p><button>Add to bag</button>').price).toBe(
      '₹1,299',
    );
    const affirm = `<h1>Sofa</h1><p>As low as $45/mo with Affirm</p><p class="price">$1,099.00</p><button>Add to cart</button>`;
    expect(found(affirm).price).toBe('$1,099.00');
    // Several amounts in one text, each read with its own label.
    expect(found('<h1>Lamp</h1><p>Was $59.99 Now $39.99</p><button>Add to cart</button>').price).toBe(
      'Now $39.99',
    );
    expect(
      found('<h1>Hue</h1><div>Før 349,00 kr. Nu 279,00 kr.</div><button>Læg i kurv</button>').price,
    ).toBe('Nu 279,00 kr.');
    expect(found('<h1>Tee</h1><p class="price">$18.00 – $24.00</p><button>Add to cart</button>').price).toBe(
      '$18.00',
    );
    expect(
      found('<h1>Lampa</h1><p class="price">1 299,00 zł</p><button>Dodaj do koszyka</button>').price,
    ).toBe('1 299,00 zł');
    // Nor a delivery line with two numbers, nor a discount label of several words.
    expect(found('<h1>Kettle</h1><p>within 5 working days - €5.99</p>').price).toBeUndefined();
    expect(found('<h1>Стаканы</h1><p>Скидка на комплект 95 ₽</p>').price).toBeUndefined();
    // A sentence with an amount is no labelled price.
    expect(found('<h1>Ten kettles reviewed</h1><p>The best one costs € 29,99.</p>').price).toBeUndefined();
  });

  it('reads "ex VAT" as the words of the amount it follows, not of the price before it', () => {
    const html = `<h1>Cabinet Knob</h1><table><tr><th>Price</th><td><strong>£4.80</strong> each (£4.00 ex VAT)</td></tr>
      <tr><th>Pack of 10</th><td>£43.20 (£4.32 each)</td></tr></table><input type="submit" value="Add to basket">`;
    expect(found(html).price).toBe('£4.80');
  });
});

describe('blocks named like chrome or old prices', () => {
  it('reads the buy box inside a block whose class says "header" when it holds the heading', () => {
    const html = `<header class="site-header"><a href="/cart">Cart $0.00</a></header>
      <section class="product-header"><h1>Air fryer</h1><span class="price">$ 54.990</span>
      <button class="btn--add">Agregar a la bolsa</button></section>`;
    const result = found(html);
    expect(result.price).toBe('$ 54.990');
    expect(result.availability).toBe('InStock');
    // Chrome that does not hold the heading still counts for nothing.
    expect(
      found(`<div class="header"><span class="price">$9.99</span></div><h1>Lamp</h1>`).price,
    ).toBeUndefined();
  });

  it('takes "price-list" for a list of prices, not for a list price', () => {
    const html = `<h1>Air fryer</h1><ul class="product-price-list">
      <li class="product-price product-price--card"><img alt="Tarjeta Altamira"><span class="product-price__value">$ 49.990</span></li>
      <li class="product-price product-price--internet"><span class="product-price__label">Precio internet</span>
        <span class="product-price__value">$ 54.990</span></li>
      <li class="product-price product-price--normal"><span class="product-price__label">Precio normal</span>
        <span class="product-price__value"><s>$ 69.990</s></span></li></ul>`;
    expect(found(html).price).toMatch(/54\.990/);
    // A class naming a list price still marks one.
    const listed = `<h1>Drill</h1><span class="list-price">$129.00</span> <span class="price">$99.00</span>`;
    expect(found(listed).price).toBe('$99.00');
  });

  it('does not take an amount saved for the price, in the words of many languages', () => {
    const savings = [
      ['2,499.00 ج.م', 'وفر 651.00 ج.م'],
      ['18 990 Ft', 'Megtakarítás: 5 000 Ft'],
      ['R$ 199,90', 'Economize R$ 50,00'],
      ['799 kr', 'Du sparar 200 kr'],
      // Stems: "Ušetríte" (Slovak), "Ušteda" (Croatian), "Prihranek" (Slovenian).
      ['49,90 €', 'Ušetríte 10,00 €'],
      ['349,99 kn', 'Ušteda 50,00 kn'],
      ['29,99 €', 'Prihranek 5,00 €'],
    ];
    for (const [price, saving] of savings) {
      const html = `<h1>Blender</h1><div class="price-box"><span class="special-price"><span class="price">${price}</span></span>
        <span class="discount-label">${saving}</span></div><button>Add to cart</button>`;
      expect(found(html).price, saving).toBe(price);
    }
    // "متوفر" (available) holds the same letters and is no saving.
    expect(found('<h1>خلاط</h1><p class="price">متوفر 2,499.00 ج.م</p>').price).toBe('متوفر 2,499.00 ج.م');
  });
});

describe('held-out batch b13 kinds', () => {
  it('reads the buy column in an <aside> beside the heading block, but not a sidebar of other products', () => {
    const column = (inside: string) => `<main><div class="content"><h1>Trail Shoe Venta 3</h1>
      <p class="price">€89.00</p><p>Breathable mesh upper, 280 g.</p></div>
      <aside class="buy-column">${inside}</aside></main>`;
    expect(
      found(
        column(`<p class="qty">Quantity</p><div class="stock">Sold out</div>
        <button disabled>Add to cart</button><button>Notify me</button>`),
      ).availability,
    ).toBe('OutOfStock');
    // Three products, three buttons: other products, whose stock is theirs.
    const cards = ['Socks', 'Insoles', 'Laces']
      .map(
        (p) =>
          `<div><a href="/p/${p}">${p} for runners</a><span>Sold out</span><button>Add to cart</button></div>`,
      )
      .join('');
    expect(
      found(
        `${column(cards)}<div class="buy"><span class="stock">In stock</span><button>Add to cart</button></div>`,
      ).availability,
    ).not.toBe('OutOfStock');
    // A site's sidebar before the content, with one featured product sold out, is no buy column.
    expect(
      found(`<div class="page"><aside><p>Deal of the day</p><span class="stock">Sold out</span>
        <button>Add to cart</button></aside><main><h1>Trail Shoe Venta 3</h1><p class="price">€89.00</p>
        <button>Add to cart</button></main></div>`).availability,
    ).toBe('InStock');
  });

  it('reads a chosen variant that is disabled as out of stock, unlike an unchosen disabled one', () => {
    const picker = (chosen: string) => `<h1>Linen Shirt Ora</h1><p class="price">$59.00</p>
      <div class="sizes"><button class="size">S</button>
      <button class="size ${chosen === 'M' ? 'is-selected' : ''}" disabled>M</button>
      <button class="size ${chosen === 'L' ? 'is-selected' : ''}">L</button></div>`;
    expect(found(picker('M')).availability).toBe('OutOfStock');
    expect(found(picker('L')).availability).toBe('InStock');
    // A select's prompt is chosen and disabled, and says nothing about stock.
    expect(
      found(`<h1>Linen Shirt Ora</h1><p class="price">$59.00</p><select name="size">
        <option disabled selected>Choose a size</option><option value="s">S</option>
        <option value="m" disabled>M</option></select><button>Add to cart</button>`).availability,
    ).toBe('InStock');
  });

  it('reads an amount whose cents sit in another element after a stray space, not the cents alone', () => {
    expect(
      found(`<h1>Çelik Termos 750 ml</h1><div class="product-price">
        <span class="price-now"><span class="int">1.249,</span> <span class="dec">90 TL</span></span></div>`)
        .price,
    ).toMatch(/^1\.249, 90 TL$/);
    // Two prices side by side are no amount in parts.
    expect(
      found(
        `<h1>Tetera Eléctrica 1,7 L</h1><div class="price"><span class="now">$ 34.399</span><span class="off">20% OFF</span></div>`,
      ).price,
    ).toBe('$ 34.399');
  });
});

describe('held-out batch b14 kinds', () => {
  it('reads cents set apart after thousands groups, and the symbol as the decimal point', () => {
    expect(
      found(`<h1>Licuadora de Vaso 1.5 L</h1><p class="price-regular"><s>$3,299<sup>00</sup></s></p>
        <p class="product-price">$2,849<sup>00</sup></p><button>Agregar a la bolsa</button>`).price,
    ).toBe('$2,849.00');
    expect(
      found(`<h1>Friteuse sans huile 5,5 L</h1><p class="prix-barre"><del>129,99 €</del></p>
        <p class="prix">99<sup>€95</sup></p><button>Ajouter au panier</button>`).price,
    ).toBe('99€95');
  });

  it('reads camelCase class names like hyphenated ones: "priceStriked" marks an old price', () => {
    expect(
      found(`<h1>Grille-pain 4 fentes</h1><div class="priceBox"><span class="priceStriked">59,99 €</span>
        <p>Garantie 2 ans incluse</p><span class="productPrice">44,99 €</span></div><button>Ajouter au panier</button>`)
        .price,
    ).toBe('44,99 €');
  });

  it('reads a size tile that says its size is sold out as an option, not as a sold-out buy button', () => {
    const tile = (size: string, more: string) =>
      `<li><button class="tile" role="radio" aria-checked="${size === '38'}" ${more}>${size}${more ? ' <span>Sold out</span>' : ''}</button></li>`;
    // EU sizes: "36 Sold out" reads like a stock line with a count before it.
    expect(
      found(`<h1>Quilted Jacket Karla</h1><p class="price">€89.99</p><ul role="radiogroup">
        ${tile('36', 'disabled')}${tile('38', '')}${tile('40', '')}${tile('42', 'disabled')}</ul>
        <p>Delivery in 2-3 days</p><button class="add-to-basket">Add to basket</button>`).availability,
    ).toBe('InStock');
    // A submit button reading "Sold out" still says so.
    expect(
      found(
        `<h1>Quilted Jacket Karla</h1><p class="price">€89.99</p><button type="submit" disabled>Sold out</button>`,
      ).availability,
    ).toBe('OutOfStock');
  });
});

describe('held-out batch b16 kinds', () => {
  it('reads no price from a model code whose letters spell a currency', () => {
    expect(
      found(`<h1>Чайник электрический Vesta</h1><dl><dt>Модель</dt><dd>RS-485</dd></dl>
        <span class="cost">1 990 ₽</span><button>В корзину</button>`).price,
    ).toBe('1 990 ₽');
  });

  it('reads a card-holder price in Russian as no price for everyone', () => {
    expect(
      found(`<h1>Мультиварка Orion</h1><div><span>2 390 ₽</span><span>с картой магазина</span></div>
        <div><span>2 590 ₽</span><span>без карты</span></div><button>В корзину</button>`).price,
    ).toBe('2 590 ₽');
  });

  it('reads an unmarked pair with its discount beside it as an old and a current price', () => {
    expect(
      found(`<h1>Glass Food Container Set</h1><div><div class="a1">RM62.00</div><div class="b2">RM41.90</div>
        <div class="c3">32% OFF</div></div><button>Add To Cart</button>`).price,
    ).toBe('RM41.90');
  });
});

describe('held-out batch b18 kinds', () => {
  it('keeps a code apart from the rating after it when only icons sit between them', () => {
    expect(
      found(`<h1>EKKO H7 ANC</h1><div><span>Κωδικός: <span>1734562</span></span><a href="#reviews"><svg><use href="#star"></use></svg>
        <svg><use href="#star"></use></svg>4.6</a></div><span class="price">149,99 €</span><button>Αγορά</button>`)
        .sku,
    ).toBe('1734562');
    expect(
      found(`<h1>Espresso Classico</h1><div><p>Artikelnummer: RH-ESPCL-1000</p></div><details open><summary>Beschreibung</summary>
        <p>Langsam geröstet.</p></details><span class="price">29,90 €</span>`).sku,
    ).toBe('RH-ESPCL-1000');
  });

  it('reads a bare amount whose currency is an element of its own, and an "origin" price as the old one', () => {
    expect(
      found(`<h2>샴푸 1000ml, 2개</h2><div class="prod-price"><div><span class="origin-price">32,000원</span></div>
        <div><span class="total-price"><strong>21,900<span class="price-unit">원</span></strong></span></div>
        <div><span class="reward">최대 1,095원 적립</span></div></div><button>장바구니 담기</button>`).price,
    ).toBe('21,900원');
  });

  it('reads what a component is named in data-widget when its classes are hashed', () => {
    expect(
      found(`<h1>Электрочайник Termolux</h1><div class="pdp_c4"><a href="/product/2/" class="pdp_c5"><img alt="чёрный">
        <span class="ts500">2 490 ₽</span></a></div><div data-widget="webPrice" class="pdp_d3"><div class="m6l_27">
        <span class="ml6_27">2 349 ₽</span><span style="text-decoration:line-through">3 490 ₽</span></div></div>
        <button>В корзину</button>`).price,
    ).toBe('2 349 ₽');
  });
});

describe('held-out batch b20 kinds', () => {
  it('reads a price with tax beside the price before tax in Japanese, and "původně" as the old price in Czech', () => {
    expect(
      found(`<div class="hd1">トートバッグ（中）</div><table><tr><th>販売価格</th><td><span class="price1">3,480円</span>
        <span>（税込）</span><br><span class="gray">本体価格 3,164円</span></td></tr></table>`).price,
    ).toBe('3,480円');
    expect(
      found(`<h1>Litinová konvice Arare</h1><p class="x1">Původně 1 590 Kč</p><p class="x2">1 290 Kč</p>
        <p>Ušetříte 300 Kč (19 %)</p><button>Do košíku</button>`).price,
    ).toBe('1 290 Kč');
  });
});

describe('held-out batches b19 and b21 kinds', () => {
  it('reads a net price as such when its word follows it in an indented block', () => {
    expect(
      found(`<h1>Lampka Lumen 800</h1><div class="price row">
          <span class="price-label">Cena:</span>
          <em class="main-price color">189,00 zł</em>
          <div class="price-netto">
              <span class="price-netto-value">153,66 zł</span> netto
          </div>
        </div><button>Do koszyka</button>`).price,
    ).toBe('189,00 zł');
  });

  it('reads the lower price first and the old one after it when the discount beside them says so', () => {
    expect(
      found(`<h1>Chaleco Lana Merino</h1><div class="price-container"><span class="product-form-price">$34.990</span>
        <span class="product-form-discount">$42.990</span><span class="badge">-19%</span></div><button>Agregar al carro</button>`)
        .price,
    ).toBe('$34.990');
    // Without a discount that matches, the order alone says nothing new.
    expect(
      found(`<h1>Chaleco Lana Merino</h1><div class="price-container"><span class="product-form-price">$34.990</span>
        <span class="product-form-discount">$42.990</span><span class="badge">-40%</span></div><button>Agregar al carro</button>`)
        .price,
    ).toBe('$42.990');
  });

  it('reads no price in a model number whose first letter looks like a currency sign', () => {
    const html = `${jsonLd({ '@type': 'Product', name: '18V Compact Drill Kit', offers: { price: 79, priceCurrency: 'USD' } })}
      <h1>18V Compact Drill Kit</h1><h2>Model #<span class="sui-font-bold">R86118K2</span></h2>
      <div data-component="Price"><span>$</span><span class="sui-text-9xl">79</span><span>00</span>
      <span class="sui-line-through">$99.00</span></div><button>Add to Cart</button>`;
    expect(String(found(html).price)).not.toMatch(/86118/);
    expect(
      found(`<h1>Drill Kit</h1><p>Model #<span class="price-model">R86118K2</span></p>`).price,
    ).toBeUndefined();
    expect(extractProduct({ url: 'https://shop.example/p/318047562', html }).product?.price).toBe('79');
  });

  it('takes the price left after a saving the page subtracts, and never the saving', () => {
    const costco = (saving: string) =>
      found(`<h1>75" Mini-LED TV</h1><div class="your-price">
        <div class="online-price"><span>Online Price</span> <span class="op-value">$999.99</span></div>
        <div class="discount"><span>Less:</span> <span class="discount-value">${saving}</span> <span>Instant Savings</span></div>
        <div class="your-price"><span class="label">Your Price</span> <span class="value">$849.99</span></div></div>
        <button>Add to Cart</button>`).price;
    expect(costco('-$150.00')).toMatch(/\$849\.99$/);
    // A saving that does not make the difference says nothing of which one is paid.
    expect(costco('-$120.00')).toMatch(/\$999\.99$/);
  });

  it('reads a classified ad’s or an auction’s number under its own label', () => {
    expect(
      found(`<h1>Babboe City bakfiets</h1><p class="price">€ 1.150,00</p>
        <div class="Listing-meta"><span>Advertentienummer: m2198765432</span></div>`).sku,
    ).toBe('m2198765432');
    expect(
      found(`<h1>Fender ストラトキャスター</h1><p class="price">12,800円</p>
        <dl><dt>オークションID</dt><dd>x1158765432</dd></dl>`).sku,
    ).toBe('x1158765432');
  });

  it('reads an ad reserved for a buyer as not for sale, and a listing’s details in an aside as the product’s own', () => {
    expect(
      found(`<h1>Babboe City bakfiets</h1><p class="price">€ 1.150,00</p>
        <div class="status"><strong>Gereserveerd</strong></div><button>Bericht sturen</button>`).availability,
    ).toBe('OutOfStock');
    // The heading and the buy button in an <aside>; another listing's "reserved" further down.
    expect(
      found(`<aside class="item-page-sidebar"><h1>Giacca in pelle</h1><p class="price">25,00 €</p>
        <button data-testid="item-buy-button">Acquista</button></aside>
        ${'<div><p>Dettagli</p></div>'.repeat(20)}<h2>Altri articoli</h2><div class="feed-grid__item"><a href="/items/1-jeans">Jeans Levi's 501</a>
        <div class="web_ui__Label__label">Riservato</div><p>20,00 €</p></div>`).availability,
    ).toBe('InStock');
  });

  it('reads an ended auction’s bid panel: sold, at the price it sold for, not its starting price', () => {
    const html = `${jsonLd({ '@type': 'Product', name: 'Hudson River Landscape', offers: { price: '750', priceCurrency: 'USD', availability: 'InStock' } })}
      <div class="item-page"><section><h1>Hudson River Landscape</h1></section>
      <aside class="bid-panel"><div class="bid-panel__Status--ended"><span>Auction Ended</span></div>
      <div><span>Sold for</span> <span class="bid-panel__Price" data-testid="item-price">$2,400</span></div>
      <div><span>Est.</span><span>$1,500 - $2,500</span></div><div><span>Starting Price</span><span>$750</span></div>
      <button class="button--primary" disabled>Bidding Closed</button></aside></div>`;
    const { product } = extractProduct({ url: 'https://www.liveauctions.example/item/187654321', html });
    expect(product?.price).toBe('$2,400');
    expect(product?.availability).toBe('OutOfStock');
  });

  it('reads nothing of the product from a table of stores each with its own stock', () => {
    expect(
      found(`<h1>ミラーレス一眼カメラ</h1><p class="price">￥59,400（税込）</p><p>在庫あり</p>
        <button>ショッピングカートに入れる</button><div class="storeStockArea"><h3>店舗在庫</h3>
        <table class="storeStock"><tr><th>Akiba</th><td>在庫あり</td></tr><tr><th>札幌</th><td>在庫なし</td></tr></table></div>`)
        .availability,
    ).toBe('InStock');
  });

  it('takes the code the page writes whole when the URL holds only its digits', () => {
    expect(
      found(
        `<h1>Ceramic Front Brake Pad Set</h1><table><tr><th>Part No:</th><td>ASD-BP-44871</td></tr>
        <tr><th>OE Ref:</th><td>04465-0K290</td></tr></table><span class="price">R1 249.00</span>`,
        'https://www.autospares.example/brake-pads/asd-bp-44871',
      ).sku,
    ).toBe('ASD-BP-44871');
  });
});
