import { escapeHtml } from '../format.ts';

export type Brand = 'alipay' | 'wechat';

const brandName: Record<Brand, string> = { alipay: 'Alipay (sandbox)', wechat: 'WeChat Pay (sandbox)' };

/** Served as /sandbox.css: the pages carry no inline style or script, so a strict CSP fits them. */
export const sandboxCss = `:root{color-scheme:light;--accent:#0e5fd8}
body.wechat{--accent:#067a44}
body{font-family:system-ui,sans-serif;margin:0;color:#1f2328;background:#f3f4f6}
header{background:var(--accent);color:#fff;padding:.8rem 1.5rem;font-weight:700;font-size:1.1rem}
main{max-width:30rem;margin:2rem auto;padding:1.5rem 1.75rem;background:#fff;border-radius:.5rem;box-shadow:0 1px 3px #0002}
h1{font-size:1.35rem;margin:0 0 1rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.45rem 1.25rem;margin:0 0 1.25rem}
dt{color:#59636e}dd{margin:0;overflow-wrap:anywhere}
.amount{font-size:1.5rem;font-weight:700}
.note{color:#59636e;font-size:.9rem}
button{font:inherit;font-weight:700;color:#fff;background:var(--accent);border:0;border-radius:.4rem;padding:.7rem 2.5rem;cursor:pointer}
button:hover{filter:brightness(.92)}
:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.status{font-weight:700}.error{color:#b42318}`;

/** No script, no inline style, no frames: the strictest policy the pages work under. */
export const pageSecurityHeaders: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  // No form-action: Chromium applies it to the redirect after "Pay" too, and that goes to the shop.
  'content-security-policy': "default-src 'none'; style-src 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

export function sandboxPage(brand: Brand, title: string, body: string): string {
  const name = brandName[brand];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} | ${name}</title>
<link rel="stylesheet" href="/sandbox.css">
</head>
<body class="${brand}">
<header>${name}</header>
<main>
${body}
</main>
</body>
</html>
`;
}

export interface OrderSummary {
  merchant: string;
  subject: string;
  outTradeNo: string;
  /** Decimal, as the gateway shows it. */
  amount: string;
  currency: string;
}

export function orderDetails(order: OrderSummary): string {
  return `<dl>
<dt>Merchant</dt><dd>${escapeHtml(order.merchant)}</dd>
<dt>Order</dt><dd>${escapeHtml(order.subject)}</dd>
<dt>Order number</dt><dd>${escapeHtml(order.outTradeNo)}</dd>
<dt>Amount</dt><dd class="amount">${escapeHtml(order.currency)} ${escapeHtml(order.amount)}</dd>
</dl>`;
}

/** The button that stands in for signing in (Alipay cashier) or scanning and confirming (phone). */
export function payForm(action: string, stand: string, fields: Record<string, string> = {}): string {
  const hidden = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  return `<p class="note">${escapeHtml(stand)}</p>
<form method="post" action="${escapeHtml(action)}">${hidden}<button type="submit">Pay</button></form>`;
}

export function messagePage(brand: Brand, title: string, text: string, error = false): string {
  return sandboxPage(
    brand,
    title,
    `<h1>${escapeHtml(title)}</h1>\n<p class="${error ? 'status error' : 'status'}" role="status">${escapeHtml(text)}</p>`,
  );
}
