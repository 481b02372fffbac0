/**
 * Shops without semantic markup: hand-written or small-CMS pages with no JSON-LD, microdata,
 * OpenGraph prices or product state in scripts, where everything is said in plain words. The
 * layouts follow what such shops commonly serve: the books.toscrape.com demo shop's product page
 * (price, an availability line under it, a "Product Information" table with UPC and
 * Availability), a definition list of labelled values ("Availability: In stock (3 available)"),
 * a German table ("Artikelnummer", "Lieferstatus", a base price per kg), a Japanese page
 * (税込 prices, 在庫あり, 商品番号), and an Indian page with "MRP" and "Our Price" in rupees.
 * Class names say nothing about what an element holds.
 */
import { escapeHtml, money, type PageSpec } from './common.ts';

function chrome(spec: PageSpec, body: string, title = spec.title): string {
  const others = spec.others
    .map(
      (o) =>
        `<li><a href="${o.url}">${escapeHtml(o.name)}</a><br><span>${escapeHtml(money(o.price, spec.format))}</span>${o.soldOut ? ' <em>sold out</em>' : ''}</li>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="${spec.lang}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/static/site.css">
</head>
<body>
<div id="top"><a href="/"><img src="/static/logo.png" alt="${escapeHtml(String(spec.options?.shopName ?? 'Shop'))}"></a> <a href="/basket/">${escapeHtml(String(spec.options?.basket ?? 'Basket (0)'))}</a></div>
<div id="menu"><a href="/">${escapeHtml(String(spec.options?.homeLabel ?? 'Home'))}</a>${spec.category.map((c) => ` | <a href="/${escapeHtml(c.toLowerCase())}/">${escapeHtml(c)}</a>`).join('')}</div>
<div id="page">
${body}
</div>
<div id="more"><h3>${escapeHtml(String(spec.options?.moreLabel ?? 'You may also like'))}</h3><ul>
${others}
</ul></div>
<div id="bottom">${escapeHtml(String(spec.options?.footer ?? '© 2024'))}</div>
</body>
</html>
`;
}

/** books.toscrape.com's product page. */
function books(spec: PageSpec): string {
  const f = spec.format;
  const stock = spec.available ? `In stock (${spec.options?.count ?? 3} available)` : 'Out of stock';
  const rows: [string, string][] = [
    ['UPC', spec.sku],
    ['Product Type', 'Books'],
    ['Price (excl. tax)', money(spec.price, f)],
    ['Price (incl. tax)', money(spec.price, f)],
    ['Tax', money('0', f)],
    ['Availability', stock],
    ['Number of reviews', '0'],
  ];
  return `<!DOCTYPE html>
<html lang="en-us" class="no-js">
<head>
<title>
    ${escapeHtml(spec.title)} | Books to Scrape - Sandbox
</title>
<meta http-equiv="content-type" content="text/html; charset=UTF-8" />
<meta name="created" content="24th Jun 2016 09:29" />
<meta name="description" content="${escapeHtml(spec.description.split('\n')[0] ?? '')}" />
<meta name="viewport" content="width=device-width" />
<meta name="robots" content="NOARCHIVE,NOCACHE" />
<link rel="stylesheet" type="text/css" href="../../static/oscar/css/styles.css" />
</head>
<body id="default" class="default">
<header class="header container-fluid"><div class="page_inner"><div class="row"><div class="col-sm-8 h1"><a href="../../index.html">Books to Scrape</a><small> We love being scraped!</small></div></div></div></header>
<div class="container-fluid page"><div class="page_inner">
<ul class="breadcrumb"><li><a href="../../index.html">Home</a></li><li><a href="../category/books_1/index.html">Books</a></li>${spec.category.map((c) => `<li><a href="../category/books/${escapeHtml(c.toLowerCase())}_2/index.html">${escapeHtml(c)}</a></li>`).join('')}<li class="active">${escapeHtml(spec.title)}</li></ul>
<div id="messages"></div>
<div class="content"><div id="promotions"></div><div id="content_inner">
<article class="product_page">
<div class="row">
<div class="col-sm-6"><div id="product_gallery" class="carousel"><div class="thumbnail"><div class="carousel-inner"><div class="item active"><img src="../../media/cache/fe/72/x.jpg" alt="${escapeHtml(spec.title)}" /></div></div></div></div></div>
<div class="col-sm-6 product_main">
<h1>${escapeHtml(spec.title)}</h1>
<p class="price_color">${escapeHtml(money(spec.price, f))}</p>
<p class="${spec.available ? 'instock' : 'outofstock'} availability">
    <i class="icon-${spec.available ? 'ok' : 'remove'}"></i>
        ${stock}
</p>
<p class="star-rating Three"><i class="icon-star"></i><i class="icon-star"></i><i class="icon-star"></i><i class="icon-star"></i><i class="icon-star"></i></p>
<hr/>
<div class="alert alert-warning" role="alert"><strong>Warning!</strong> This is a demo website for web scraping purposes. Prices and ratings here were randomly assigned and have no real meaning.</div>
</div>
</div>
<div id="product_description" class="sub-header"><h2>Product Description</h2></div>
<p>${escapeHtml(spec.description)}</p>
<div class="sub-header"><h2>Product Information</h2></div>
<table class="table table-striped">
${rows.map(([k, v]) => `<tr>\n<th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td>\n</tr>`).join('\n')}
</table>
</article>
</div></div>
</div></div>
<footer class="footer container-fluid"></footer>
</body>
</html>
`;
}

/** A definition list of labelled values, a plain stock line under the price. */
function definitions(spec: PageSpec): string {
  const f = spec.format;
  const l = {
    price: String(spec.options?.priceLabel ?? 'Price'),
    code: String(spec.options?.codeLabel ?? 'Item code'),
    availability: String(spec.options?.availabilityLabel ?? 'Availability'),
    inStock: String(spec.options?.inStockText ?? 'In stock'),
    outOfStock: String(spec.options?.outOfStockText ?? 'Out of stock'),
    add: String(spec.options?.addLabel ?? 'Add to basket'),
    brand: String(spec.options?.brandLabel ?? 'Maker'),
  };
  const stock = spec.available ? l.inStock : l.outOfStock;
  const body = `<div class="box">
<div class="left"><img src="/img/${escapeHtml(spec.sku)}.jpg" alt="" width="400"></div>
<div class="right">
<h1>${escapeHtml(spec.title)}</h1>
<div class="big">${escapeHtml(l.price)}: ${escapeHtml(money(spec.price, f))}${spec.was ? ` <s>${escapeHtml(money(spec.was, f))}</s>` : ''}</div>
<div>${escapeHtml(stock)}</div>
<form action="/basket/add" method="post"><input type="hidden" name="item" value="${escapeHtml(spec.sku)}"><input type="number" name="qty" value="1" size="2"> <input type="submit" value="${escapeHtml(l.add)}"${spec.available ? '' : ' disabled'}></form>
<dl>
<dt>${escapeHtml(l.code)}</dt><dd>${escapeHtml(spec.sku)}</dd>
<dt>${escapeHtml(l.brand)}</dt><dd>${escapeHtml(spec.brand)}</dd>
<dt>${escapeHtml(l.availability)}</dt><dd>${escapeHtml(spec.available ? `${l.inStock}${spec.options?.count ? ` (${spec.options.count} available)` : ''}` : l.outOfStock)}</dd>
</dl>
${spec.description
  .split('\n')
  .map((p) => `<p>${escapeHtml(p)}</p>`)
  .join('\n')}
</div>
</div>`;
  return chrome(spec, body);
}

/** A German shop: labelled table, base price, "inkl. MwSt.". */
function german(spec: PageSpec): string {
  const f = spec.format;
  const body = `<table width="100%"><tr><td valign="top"><img src="/bilder/${escapeHtml(spec.sku)}.jpg" width="300"></td><td valign="top">
<h1>${escapeHtml(spec.title)}</h1>
<p><font size="+1"><b>${escapeHtml(money(spec.price, f))}</b></font> inkl. MwSt., zzgl. <a href="/versand.html">Versand</a>${spec.unit ? `<br><small>(${escapeHtml(money(spec.unit.price, f))} / ${escapeHtml(spec.unit.per)})</small>` : ''}</p>
<table border="0" cellpadding="2">
<tr><td>Artikelnummer:</td><td>${escapeHtml(spec.sku)}</td></tr>
<tr><td>Hersteller:</td><td>${escapeHtml(spec.brand)}</td></tr>
<tr><td>Herstellernummer:</td><td>${escapeHtml(spec.mpn ?? '')}</td></tr>
<tr><td>Lieferstatus:</td><td>${spec.available ? 'sofort lieferbar, 1-3 Werktage' : 'derzeit nicht lieferbar'}</td></tr>
${spec.gtin ? `<tr><td>EAN:</td><td>${escapeHtml(spec.gtin)}</td></tr>` : ''}
</table>
<form method="post" action="/warenkorb.php"><input type="hidden" name="artnr" value="${escapeHtml(spec.sku)}">Menge: <input type="text" name="menge" value="1" size="3"> <input type="submit" value="In den Warenkorb"></form>
</td></tr></table>
<h2>Beschreibung</h2>
${spec.description
  .split('\n')
  .map((p) => `<p>${escapeHtml(p)}</p>`)
  .join('\n')}`;
  return chrome(spec, body);
}

/** A Japanese shop: 価格 with 税込, 在庫あり, 商品番号. */
function japanese(spec: PageSpec): string {
  const f = spec.format;
  const body = `<div class="item-detail">
<div class="photo"><img src="/img/${escapeHtml(spec.sku)}.jpg" alt=""></div>
<div class="info">
<h1>${escapeHtml(spec.title)}</h1>
<p class="txt">販売価格：${escapeHtml(money(spec.price, f))}（税込）${spec.was ? `<br>通常価格：<s>${escapeHtml(money(spec.was, f))}</s>` : ''}</p>
<p>${spec.available ? '在庫あり' : '在庫切れ'}</p>
<table class="spec"><tr><th>商品番号</th><td>${escapeHtml(spec.sku)}</td></tr><tr><th>型番</th><td>${escapeHtml(spec.mpn ?? '')}</td></tr><tr><th>メーカー</th><td>${escapeHtml(spec.brand)}</td></tr></table>
<form action="/cart/add" method="post"><p>数量：<input type="text" name="num" value="1" size="3"></p><p>${spec.available ? '<input type="submit" value="カートに入れる">' : '<input type="button" value="入荷お知らせ">'}</p></form>
${spec.description
  .split('\n')
  .map((p) => `<p>${escapeHtml(p)}</p>`)
  .join('\n')}
</div>
</div>`;
  return chrome(spec, body);
}

/** An Indian shop: MRP and "Our Price" in rupees. */
function indian(spec: PageSpec): string {
  const f = spec.format;
  const body = `<div class="prod">
<h1>${escapeHtml(spec.title)}</h1>
<div class="p1">MRP: <strike>${escapeHtml(money(spec.was ?? spec.price, f))}</strike></div>
<div class="p2">Our Price: <b>${escapeHtml(money(spec.price, f))}</b></div>
<div class="p3">You Save: ${escapeHtml(money((Number(spec.was ?? spec.price) - Number(spec.price)).toFixed(2), f))} (inclusive of all taxes)</div>
<div class="p4">Product Code: ${escapeHtml(spec.sku)}</div>
<div class="p5">${spec.available ? 'Available' : 'Sold Out'}</div>
<div class="p6">${spec.available ? `<a href="/cart/add?code=${escapeHtml(spec.sku)}" class="btn">Buy Now</a>` : `<a href="/notify?code=${escapeHtml(spec.sku)}" class="btn">Notify Me</a>`}</div>
${spec.description
  .split('\n')
  .map((p) => `<p>${escapeHtml(p)}</p>`)
  .join('\n')}
</div>`;
  return chrome(spec, body);
}

export function renderPlain(spec: PageSpec): string {
  switch (spec.options?.layout) {
    case 'books':
      return books(spec);
    case 'german':
      return german(spec);
    case 'japanese':
      return japanese(spec);
    case 'indian':
      return indian(spec);
    default:
      return definitions(spec);
  }
}
