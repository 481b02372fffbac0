import { createHash } from 'node:crypto';
import { promotionStyles } from './promotions/style.ts';

/**
 * The whole stylesheet. Kept in a module rather than a file so it ships with the code
 * and needs no path resolution at startup; system fonts only, the page must work offline.
 */
export const stylesheet = `
:root {
  --bg: #f5f6f8;
  --surface: #ffffff;
  --text: #16181d;
  --muted: #5f6675;
  --border: #e2e5ea;
  --accent: #0d7a6a;
  --accent-dark: #095e52;
  --accent-soft: #e3f3ef;
  --good: #137333; --good-bg: #e2f5e7;
  --bad: #b42318; --bad-bg: #fde7e5;
  --warn: #a15c07; --warn-bg: #fdf1d8;
  --mute: #4a5565; --mute-bg: #eef0f3;
  --radius: 14px;
  --shadow: 0 1px 2px rgba(16, 24, 40, .05);
  --shadow-lg: 0 10px 30px -12px rgba(16, 24, 40, .25);
  color-scheme: light;
}
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--text);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", sans-serif;
  min-height: 100vh; display: flex; flex-direction: column;
}
main { flex: 1; width: 100%; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
h1, h2, h3 { line-height: 1.2; margin: 0 0 .5em; letter-spacing: -.01em; }
h1 { font-size: 28px; }
h2 { font-size: 19px; }
code { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", monospace; font-size: .92em; }
img { max-width: 100%; }
:focus-visible { outline: 3px solid color-mix(in srgb, var(--accent) 45%, transparent); outline-offset: 2px; }
.container { max-width: 1240px; margin: 0 auto; padding: 0 24px; }
.muted { color: var(--muted); }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.skip-link { position: absolute; left: -999px; top: 8px; background: var(--surface); padding: 8px 12px; border-radius: 8px; z-index: 10; }
.skip-link:focus { left: 8px; }

/* Header and footer */
.site-header { background: var(--surface); border-bottom: 1px solid var(--border); position: sticky; top: 0; z-index: 5; }
.header-inner { display: flex; align-items: center; gap: 28px; min-height: 68px; }
.header-spacer { flex: 1; }
.logo { display: inline-flex; align-items: center; gap: 10px; font-weight: 800; font-size: 21px; color: var(--text); letter-spacing: -.02em; }
.logo:hover { text-decoration: none; }
.header-nav { display: flex; gap: 20px; font-weight: 500; }
.header-nav a { color: var(--muted); }
.header-nav a:hover { color: var(--text); text-decoration: none; }
.site-header .searchbox { flex: 1; max-width: 620px; }
.site-footer { margin-top: 72px; background: var(--surface); border-top: 1px solid var(--border); }
.footer-inner { display: flex; justify-content: space-between; gap: 32px; padding-top: 32px; padding-bottom: 40px; flex-wrap: wrap; }
.footer-inner p { max-width: 460px; font-size: 14px; }
.footer-inner nav { display: flex; gap: 24px; align-items: flex-start; padding-top: 6px; }
.footer-inner .logo { font-size: 18px; }

/* Search box */
.searchbox {
  display: flex; align-items: center; gap: 8px; background: var(--surface);
  border: 1px solid var(--border); border-radius: 999px; padding: 4px 4px 4px 16px; color: var(--muted);
  transition: border-color .15s, box-shadow .15s;
}
.searchbox:focus-within { border-color: var(--accent); box-shadow: 0 0 0 4px var(--accent-soft); }
.searchbox input { flex: 1; min-width: 0; border: 0; outline: 0; background: transparent; font: inherit; color: var(--text); padding: 8px 4px; }
.searchbox input::-webkit-search-cancel-button { cursor: pointer; }
.searchbox button {
  border: 0; border-radius: 999px; background: var(--accent); color: #fff; font: inherit; font-weight: 600;
  padding: 8px 18px; cursor: pointer;
}
.searchbox button:hover { background: var(--accent-dark); }
.searchbox-lg { max-width: 680px; margin: 0 auto; padding: 6px 6px 6px 22px; box-shadow: var(--shadow-lg); border-color: transparent; }
.searchbox-lg input { font-size: 18px; padding: 12px 6px; }
.searchbox-lg button { padding: 12px 28px; font-size: 16px; }

/* Buttons and chips */
.button {
  display: inline-flex; align-items: center; justify-content: center; gap: 6px; border: 1px solid var(--border);
  background: var(--surface); color: var(--text); font: inherit; font-weight: 600; border-radius: 10px;
  padding: 10px 18px; cursor: pointer;
}
.button:hover { text-decoration: none; border-color: #c9ced6; }
.button-primary { background: var(--accent); border-color: var(--accent); color: #fff; }
.button-primary:hover { background: var(--accent-dark); border-color: var(--accent-dark); }
.button-block { width: 100%; padding: 14px 18px; font-size: 16px; }
.button-small { padding: 6px 12px; font-size: 14px; border-radius: 8px; }
.chips { display: flex; flex-wrap: wrap; justify-content: center; gap: 8px; margin-top: 28px; }
.chip {
  display: inline-flex; align-items: center; gap: 8px; background: var(--surface); border: 1px solid var(--border);
  color: var(--text); border-radius: 999px; padding: 6px 14px; font-size: 14px; font-weight: 500;
}
.chip:hover { text-decoration: none; border-color: var(--accent); color: var(--accent); }
.chip-count { color: var(--muted); font-size: 12px; }
.chip-active { background: var(--accent-soft); border-color: transparent; color: var(--accent-dark); }
.chip-x { font-size: 16px; line-height: 1; }

/* Home */
.hero {
  text-align: center; padding: 64px 24px 52px; margin: 28px 0 8px; border-radius: 24px;
  background: radial-gradient(circle at 15% 20%, #d7f0ea 0, transparent 45%),
    radial-gradient(circle at 85% 80%, #e4e9fb 0, transparent 45%), var(--surface);
  border: 1px solid var(--border);
}
.hero h1 { font-size: clamp(28px, 4.4vw, 44px); font-weight: 800; letter-spacing: -.03em; }
.hero-sub { color: var(--muted); font-size: 17px; margin: 0 0 28px; }
.section { margin-top: 40px; }
.section-head { display: flex; justify-content: space-between; align-items: baseline; margin-bottom: 16px; }
.section-head h2 { font-size: 22px; margin: 0; }

/* Product grid */
.grid { list-style: none; margin: 0; padding: 0; display: grid; gap: 18px; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); }
.card { background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); overflow: hidden; box-shadow: var(--shadow); transition: transform .15s, box-shadow .15s; }
.card:hover { transform: translateY(-2px); box-shadow: var(--shadow-lg); }
.card-link { display: flex; flex-direction: column; height: 100%; color: inherit; }
.card-link:hover { text-decoration: none; }
.card-media { aspect-ratio: 1 / 1; background: #f1f3f5; display: flex; align-items: center; justify-content: center; overflow: hidden; }
.card-media img { width: 100%; height: 100%; object-fit: contain; padding: 14px; mix-blend-mode: multiply; }
.img-placeholder { width: 100%; height: 100%; display: flex; align-items: center; justify-content: center; color: #b8bec8; }
.card-body { display: flex; flex-direction: column; gap: 4px; padding: 12px 14px 14px; flex: 1; }
.card-brand { font-size: 12px; font-weight: 600; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.card-title {
  font-size: 15px; font-weight: 600; margin: 0; line-height: 1.35; overflow-wrap: anywhere;
  display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden;
}
.card-link:hover .card-title { color: var(--accent); }
.card-foot { display: flex; align-items: center; justify-content: space-between; gap: 8px; flex-wrap: wrap; margin-top: auto; padding-top: 10px; }
.price { font-weight: 700; font-size: 17px; font-variant-numeric: tabular-nums; }
.price-lg { font-size: 32px; letter-spacing: -.02em; }
.price-none { font-weight: 500; font-size: 14px; color: var(--muted); }
.badge { display: inline-flex; align-items: center; gap: 6px; font-size: 12px; font-weight: 600; border-radius: 999px; padding: 3px 10px; white-space: nowrap; }
.badge-dot { width: 7px; height: 7px; border-radius: 50%; background: currentColor; }
.badge-good { color: var(--good); background: var(--good-bg); }
.badge-bad { color: var(--bad); background: var(--bad-bg); }
.badge-warn { color: var(--warn); background: var(--warn-bg); }
.badge-muted { color: var(--mute); background: var(--mute-bg); }

/* Search */
.search-head { margin: 28px 0 20px; }
.search-head h1 { margin-bottom: 4px; overflow-wrap: anywhere; }
.result-count { color: var(--muted); margin: 0; }
.did-you-mean { margin: 12px 0 0; padding: 10px 14px; background: var(--accent-soft); border-radius: 10px; color: var(--accent-dark); }
.search-layout { display: grid; grid-template-columns: 250px minmax(0, 1fr); gap: 32px; align-items: start; }
.facets { background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); padding: 6px 16px; position: sticky; top: 88px; }
.facets-summary { display: none; }
.facet { padding: 14px 0; border-bottom: 1px solid var(--border); }
.facet:last-child { border-bottom: 0; }
.facet-title { font-size: 12px; font-weight: 700; text-transform: uppercase; letter-spacing: .08em; color: var(--muted); margin-bottom: 8px; }
.facet-list { list-style: none; margin: 0; padding: 0; }
.toggle { display: flex; align-items: center; gap: 10px; padding: 5px 8px; margin: 0 -8px; border-radius: 8px; color: var(--text); font-size: 14px; }
.toggle:hover { background: var(--bg); text-decoration: none; }
.toggle-box { flex: none; width: 17px; height: 17px; border: 1.5px solid #b9c0ca; border-radius: 5px; background: var(--surface); display: grid; place-items: center; }
.toggle-radio .toggle-box { border-radius: 50%; }
.toggle.on .toggle-box { background: var(--accent); border-color: var(--accent); }
.toggle-check.on .toggle-box::after { content: ""; width: 9px; height: 5px; border: 2px solid #fff; border-top: 0; border-right: 0; transform: translateY(-1px) rotate(-45deg); }
.toggle-radio.on .toggle-box::after { content: ""; width: 7px; height: 7px; border-radius: 50%; background: #fff; }
.toggle.on { font-weight: 600; }
.toggle-label { flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.toggle-count { color: var(--muted); font-size: 12px; background: var(--bg); border-radius: 999px; padding: 1px 8px; font-variant-numeric: tabular-nums; }
.facet-more summary { cursor: pointer; color: var(--accent); font-size: 14px; padding: 6px 0 2px; list-style: none; }
.facet-more summary::-webkit-details-marker { display: none; }
.facet-more[open] summary { display: none; }
.price-range { display: flex; align-items: center; gap: 6px; margin-top: 10px; color: var(--muted); }
.price-range label { flex: 1; min-width: 0; }
.price-range input { width: 100%; border: 1px solid var(--border); border-radius: 8px; padding: 6px 8px; font: inherit; font-size: 14px; }
.toolbar { display: flex; justify-content: space-between; align-items: center; gap: 12px; flex-wrap: wrap; margin-bottom: 16px; min-height: 38px; }
.active-filters { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; }
.clear-all { font-size: 14px; }
.sort { display: flex; align-items: center; gap: 8px; margin-left: auto; font-size: 14px; color: var(--muted); }
.sort select { font: inherit; color: var(--text); border: 1px solid var(--border); border-radius: 8px; padding: 7px 10px; background: var(--surface); }
.pagination { display: flex; justify-content: center; flex-wrap: wrap; gap: 6px; margin: 36px 0 0; }
.page {
  min-width: 40px; height: 40px; padding: 0 12px; display: inline-flex; align-items: center; justify-content: center;
  border: 1px solid var(--border); border-radius: 10px; background: var(--surface); color: var(--text); font-weight: 500;
}
.page:hover { text-decoration: none; border-color: var(--accent); }
.page.current { background: var(--accent); border-color: var(--accent); color: #fff; }
.page.disabled { color: #b0b6c0; }
.page-gap { border: 0; background: none; min-width: 20px; }
.empty { text-align: center; padding: 56px 24px; background: var(--surface); border: 1px dashed #cfd4dc; border-radius: var(--radius); }
.empty p { color: var(--muted); }

/* Product page */
.breadcrumb ol { list-style: none; display: flex; flex-wrap: wrap; gap: 6px; padding: 0; margin: 24px 0 20px; font-size: 14px; }
.breadcrumb li + li::before { content: "›"; color: var(--muted); margin-right: 6px; }
.breadcrumb a { color: var(--muted); }
.breadcrumb a[aria-current] { color: var(--text); font-weight: 500; }
.product { display: grid; grid-template-columns: minmax(0, 1.1fr) minmax(0, 1fr); gap: 40px; align-items: start; }
.gallery-main {
  aspect-ratio: 1 / 1; background: var(--surface); border: 1px solid var(--border); border-radius: 18px;
  display: flex; align-items: center; justify-content: center; overflow: hidden;
}
.gallery-main img { width: 100%; height: 100%; object-fit: contain; padding: 28px; }
.thumbs { list-style: none; display: flex; flex-wrap: wrap; gap: 10px; padding: 0; margin: 12px 0 0; }
.thumbs a { display: block; width: 76px; height: 76px; border: 2px solid var(--border); border-radius: 12px; background: var(--surface); overflow: hidden; }
.thumbs a.active, .thumbs a:hover { border-color: var(--accent); }
.thumbs img { width: 100%; height: 100%; object-fit: contain; padding: 6px; }
.product-info { background: var(--surface); border: 1px solid var(--border); border-radius: 18px; padding: 28px; position: sticky; top: 88px; }
.product-brand { font-size: 13px; font-weight: 700; text-transform: uppercase; letter-spacing: .08em; }
.product-title { font-size: 28px; font-weight: 750; margin: 6px 0 16px; overflow-wrap: anywhere; }
.product-buy { display: flex; align-items: center; gap: 16px; flex-wrap: wrap; margin-bottom: 20px; }
.product-buy .badge { font-size: 13px; padding: 5px 12px; }
.facts { margin: 24px 0 0; display: grid; gap: 0; border-top: 1px solid var(--border); }
.facts div { display: grid; grid-template-columns: 120px 1fr; gap: 12px; padding: 10px 0; border-bottom: 1px solid var(--border); font-size: 14px; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; overflow-wrap: anywhere; font-variant-numeric: tabular-nums; }
.product-sections { display: grid; gap: 24px; margin-top: 40px; }
.panel { background: var(--surface); border: 1px solid var(--border); border-radius: 18px; padding: 24px 28px; }
.description { max-width: 72ch; overflow-wrap: anywhere; }
.description p:first-child { margin-top: 0; }
.specs { border-collapse: collapse; width: 100%; max-width: 720px; font-size: 14px; }
.specs th, .specs td { text-align: left; padding: 9px 12px; border-bottom: 1px solid var(--border); vertical-align: top; }
.specs th { color: var(--muted); font-weight: 500; width: 38%; }
.chart { margin: 0; }
.chart svg { width: 100%; height: auto; max-width: 880px; display: block; overflow: visible; }
.chart-grid { stroke: var(--border); stroke-dasharray: 4 4; }
.chart-label { fill: var(--muted); font-size: 12px; font-variant-numeric: tabular-nums; }
.chart-line { fill: none; stroke: var(--accent); stroke-width: 2.5; stroke-linejoin: round; }
.chart-area { fill: var(--accent); opacity: .08; }
.chart-dot { fill: var(--surface); stroke: var(--accent); stroke-width: 2; }
.chart figcaption { color: var(--muted); font-size: 14px; margin-top: 8px; }
.chart-empty { color: var(--muted); margin: 0; }

/* Error and docs pages */
.error-page { text-align: center; padding: 72px 0 24px; max-width: 720px; margin: 0 auto; }
.error-code { font-size: 96px; font-weight: 800; line-height: 1; margin: 0 0 12px; color: var(--accent); opacity: .22; letter-spacing: -.04em; }
.error-text { color: var(--muted); font-size: 17px; margin-bottom: 28px; }
.error-detail { background: var(--bad-bg); color: var(--bad); border-radius: 10px; padding: 10px 14px; display: inline-block; }
.error-page .searchbox { margin-bottom: 28px; }
.docs-head { margin: 28px 0 20px; }
.docs-info { font-size: 17px; }
.docs-op { background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); padding: 18px 22px; margin-bottom: 16px; }
.docs-op h3 { font-size: 13px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 16px 0 6px; }
.docs-op p { margin: 4px 0; }
.docs-op-head { display: flex; align-items: center; gap: 12px; font-size: 17px; margin: 0 0 6px; }
.method { font-size: 12px; font-weight: 700; border-radius: 6px; padding: 3px 8px; color: #fff; background: var(--mute); }
.method-get { background: #2563eb; }
.method-post { background: var(--good); }
.method-put, .method-patch { background: var(--warn); }
.method-delete { background: var(--bad); }
.docs-table { border-collapse: collapse; width: 100%; font-size: 14px; }
.docs-table th, .docs-table td { text-align: left; padding: 7px 10px; border-bottom: 1px solid var(--border); vertical-align: top; overflow-wrap: anywhere; }
.docs-table th { color: var(--muted); font-weight: 600; }

/* Forms, accounts */
.inline-form { display: inline; margin: 0; }
.link-button { background: none; border: 0; padding: 0; font: inherit; color: var(--muted); cursor: pointer; font-weight: 500; }
.link-button:hover { color: var(--text); text-decoration: underline; }
.auth-page { max-width: 440px; margin: 56px auto 0; }
.auth-page h1 { margin-bottom: 6px; }
.auth-page .panel { margin-top: 20px; }
.form { display: grid; gap: 16px; }
.form-row { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 16px; align-items: start; }
.field { display: grid; gap: 6px; }
.field label { font-weight: 600; font-size: 14px; }
.field .hint { font-size: 13px; color: var(--muted); }
.field input, .field select {
  border: 1px solid var(--border); border-radius: 10px; padding: 10px 12px; font: inherit; color: var(--text);
  background: var(--surface); width: 100%;
}
.field input:focus-visible, .field select:focus-visible { border-color: var(--accent); }
.field-error { color: var(--bad); font-size: 13px; }
.field input[aria-invalid="true"] { border-color: var(--bad); }
.check { display: flex; gap: 8px; align-items: center; font-size: 14px; }
.notice { border-radius: 10px; padding: 12px 14px; margin: 0 0 16px; }
.notice-error { background: var(--bad-bg); color: var(--bad); }
.notice-ok { background: var(--good-bg); color: var(--good); }
.notice-warn { background: var(--warn-bg); color: var(--warn); }
.secret { display: block; font-size: 14px; background: var(--mute-bg); padding: 10px 12px; border-radius: 8px; overflow-wrap: anywhere; user-select: all; }
.account-layout { display: grid; grid-template-columns: 220px minmax(0, 1fr); gap: 32px; margin-top: 32px; align-items: start; }
.account-nav { position: sticky; top: 92px; display: grid; gap: 4px; }
.account-nav a { padding: 8px 12px; border-radius: 8px; color: var(--text); }
.account-nav a:hover { background: var(--mute-bg); text-decoration: none; }
.account-sections { display: grid; gap: 24px; }
.account-sections h2 { margin-bottom: 14px; }
.data-table { border-collapse: collapse; width: 100%; font-size: 14px; }
.data-table th, .data-table td { text-align: left; padding: 10px 8px; border-bottom: 1px solid var(--border); vertical-align: middle; }
.data-table th { color: var(--muted); font-weight: 600; font-size: 13px; }
.data-table td.actions { text-align: right; white-space: nowrap; }
.address-list { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 14px; margin-bottom: 20px; }
.address-card { border: 1px solid var(--border); border-radius: 12px; padding: 14px 16px; display: grid; gap: 4px; font-size: 14px; }
.address-card .actions { display: flex; gap: 12px; margin-top: 8px; }
.button-danger { color: var(--bad); }
details.disclosure > summary { cursor: pointer; font-weight: 600; color: var(--accent); margin-bottom: 12px; }

/* Shop: cart, checkout, orders, paying */
.page-section { margin-top: 32px; display: grid; gap: 20px; }
.page-section > h1 { margin: 0; }
.empty-state { text-align: center; display: grid; gap: 12px; justify-items: center; padding: 40px; }
.breadcrumb-line { margin: 0; color: var(--muted); font-size: 14px; }
.add-to-cart { display: flex; gap: 12px; align-items: end; margin: 4px 0 12px; }
.quantity-field { display: grid; gap: 4px; font-size: 13px; color: var(--muted); }
.quantity-field input, .quantity-form input { width: 72px; border: 1px solid var(--border); border-radius: 10px; padding: 9px 10px; font: inherit; }
.quantity-form { display: flex; gap: 8px; align-items: center; }
.cart-item { display: flex; gap: 12px; align-items: center; }
.cart-item .img-placeholder, .cart-item img { width: 56px; height: 56px; object-fit: contain; border-radius: 8px; background: var(--mute-bg); flex: none; }
.line-blocked td { background: color-mix(in srgb, var(--bad-bg) 40%, transparent); }
.amount { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.price-change { display: inline-flex; gap: 6px; align-items: center; flex-wrap: wrap; }
.price-change s { color: var(--muted); }
.cart-summary { max-width: 420px; justify-self: end; width: 100%; display: grid; gap: 10px; }
.summary-list { list-style: none; margin: 0; padding: 0; display: grid; gap: 6px; }
.summary-list li { display: flex; justify-content: space-between; gap: 12px; }
.choice-list { border: 0; padding: 0; margin: 0; display: grid; gap: 8px; }
.choice-list legend { font-weight: 700; margin-bottom: 8px; }
.choice { display: flex; gap: 10px; align-items: flex-start; padding: 10px 12px; border: 1px solid var(--border); border-radius: 10px; cursor: pointer; }
.choice:has(input:checked) { border-color: var(--accent); background: var(--accent-soft); }
.choice input { margin-top: 3px; }
.choice-disabled { opacity: .6; cursor: not-allowed; }
.totals { display: grid; gap: 4px; margin: 12px 0 0; }
.totals div { display: flex; justify-content: space-between; gap: 12px; }
.totals dt { color: var(--muted); }
.totals dd { margin: 0; font-variant-numeric: tabular-nums; }
.totals .grand-total { font-weight: 700; font-size: 17px; border-top: 1px solid var(--border); padding-top: 6px; margin-top: 4px; }
.totals .grand-total dt { color: var(--text); }
.order-group { display: grid; gap: 14px; }
.order-head { display: flex; gap: 12px; align-items: center; }
.order-head h1 { margin: 0; }
.order-layout { display: grid; grid-template-columns: minmax(0, 2fr) minmax(260px, 1fr); gap: 20px; align-items: start; }
.order-side { display: grid; gap: 20px; }
.order-actions { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; margin-top: 18px; }
.ship-form { width: 100%; }
.timeline { list-style: none; margin: 0; padding: 0; display: grid; gap: 12px; }
.timeline li { display: grid; gap: 2px; padding-left: 14px; border-left: 2px solid var(--border); font-size: 14px; justify-items: start; }
address { font-style: normal; line-height: 1.6; }
.button-danger { color: var(--bad); }
.button.button-danger { border-color: color-mix(in srgb, var(--bad) 35%, var(--border)); }
.qr-panel { display: grid; gap: 14px; justify-items: center; text-align: center; }
.qr svg { width: 240px; height: 240px; display: block; }
.filters .form-row { grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); }
.pagination { display: flex; gap: 16px; align-items: center; margin-top: 12px; }
.cart-link { position: relative; }
.cart-count { display: inline-block; min-width: 20px; padding: 0 6px; border-radius: 999px; background: var(--accent); color: #fff; font-size: 12px; text-align: center; margin-left: 4px; }

/* Back office */
.admin-layout { display: grid; grid-template-columns: 210px minmax(0, 1fr); gap: 28px; margin-top: 24px; align-items: start; }
.admin-nav { position: sticky; top: 88px; display: grid; gap: 2px; background: var(--surface); border: 1px solid var(--border); border-radius: 14px; padding: 10px; }
.admin-nav-title { margin: 4px 10px 8px; font-size: 12px; font-weight: 700; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
.admin-nav a { padding: 8px 10px; border-radius: 8px; color: var(--text); font-weight: 500; }
.admin-nav a:hover { background: var(--mute-bg); text-decoration: none; }
.admin-nav a[aria-current="page"] { background: var(--accent-soft); color: var(--accent-dark); }
.admin-main { display: grid; grid-template-columns: minmax(0, 1fr); gap: 20px; min-width: 0; }
.admin-main code { overflow-wrap: anywhere; }
.admin-head { display: flex; align-items: center; justify-content: space-between; gap: 16px; flex-wrap: wrap; }
.admin-head h1 { margin: 0; }
.admin-actions { display: flex; gap: 10px; flex-wrap: wrap; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 14px; }
.kpi { background: var(--surface); border: 1px solid var(--border); border-radius: 14px; padding: 16px 18px; display: grid; gap: 4px; }
.kpi-label { color: var(--muted); font-size: 13px; font-weight: 600; }
.kpi-value { font-size: 26px; font-weight: 800; letter-spacing: -.02em; font-variant-numeric: tabular-nums; }
.kpi-note { color: var(--muted); font-size: 13px; }
.admin-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 20px; align-items: start; }
.badge-accent { color: var(--accent-dark); background: var(--accent-soft); }
.badge-row { display: inline-flex; gap: 6px; flex-wrap: wrap; }
.field-wide { grid-column: span 2; }
.field-end { align-self: end; }
.field textarea { border: 1px solid var(--border); border-radius: 10px; padding: 10px 12px; font: inherit; color: var(--text); background: var(--surface); width: 100%; resize: vertical; }
.stack-form { display: grid; gap: 16px; }
.radio-row { border: 0; padding: 0; margin: 0; display: flex; gap: 18px; flex-wrap: wrap; }
.radio-row legend { font-weight: 600; font-size: 14px; margin-bottom: 6px; padding: 0; }
.form-actions { display: flex; gap: 12px; align-items: center; }
.button-link { background: none; border: 0; padding: 8px 0; color: var(--accent); font: inherit; cursor: pointer; }
.button-link:hover { text-decoration: underline; }
.small { font-size: 12px; }
.row-changed td:last-child { background: var(--accent-soft); font-weight: 600; }
.check-col { width: 32px; }
.bulk-actions { border: 1px solid var(--border); border-radius: 12px; padding: 12px 16px 16px; margin: 16px 0 0; }
.bulk-actions legend { font-weight: 600; font-size: 14px; padding: 0 6px; }
.data-table .amount { text-align: right; font-variant-numeric: tabular-nums; }
.htmx-request #product-results, .htmx-request.panel { opacity: .6; transition: opacity .2s; }
.chip-row { display: flex; gap: 8px; flex-wrap: wrap; }
.inline-controls { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.inline-controls select, .inline-controls input:not([type=checkbox]) { border: 1px solid var(--border); border-radius: 8px; padding: 6px 8px; font: inherit; font-size: 14px; background: var(--surface); color: var(--text); }
.inline-controls .grow { flex: 1 1 220px; min-width: 0; }
.inline-controls .narrow { width: 72px; }
.table-scroll { overflow-x: auto; }
.plain-list { list-style: none; padding: 0; margin: 0; display: grid; gap: 8px; }
.matrix th[scope=row] { min-width: 260px; font-weight: 500; color: var(--text); }
.matrix-role { text-align: center !important; }
.role-name { text-transform: capitalize; }
.matrix-cell { text-align: center !important; }
.matrix-cell input { width: 18px; height: 18px; }
.code-editor { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; line-height: 1.5; tab-size: 2; white-space: pre; }
.issue-list { margin: 6px 0 0; padding-left: 20px; display: grid; gap: 4px; }
.diff { background: var(--mute-bg); border-radius: 10px; padding: 14px 16px; overflow-x: auto; font-size: 13px; line-height: 1.5; }
.diff-add { display: block; background: var(--good-bg); color: var(--good); }
.diff-remove { display: block; background: var(--bad-bg); color: var(--bad); }
.diff-same { display: block; color: var(--muted); }
.diff-gap { display: block; color: var(--muted); font-style: italic; }
.preview-value { max-width: 420px; overflow-wrap: anywhere; }
.confidence { display: inline-flex; gap: 8px; align-items: center; justify-content: flex-end; }
.confidence meter { width: 70px; }
.small-badge { font-size: 11px; padding: 1px 7px; margin-left: 6px; }
.log-body { max-width: 520px; max-height: 320px; overflow: auto; font-size: 12px; background: var(--mute-bg); padding: 10px; border-radius: 8px; }
.event-list { list-style: none; margin: 0; padding: 0; display: grid; gap: 10px; }
.event-list li { display: grid; gap: 2px; padding-bottom: 10px; border-bottom: 1px solid var(--border); font-size: 14px; }
.event-list li:last-child { border-bottom: 0; padding-bottom: 0; }
.todo-list { list-style: none; margin: 0; padding: 0; display: grid; gap: 8px; }
.todo-list a { display: flex; justify-content: space-between; gap: 12px; padding: 10px 12px; border: 1px solid var(--border); border-radius: 10px; color: var(--text); }
.todo-list a:hover { border-color: var(--accent); text-decoration: none; }
.todo-count { font-weight: 800; color: var(--accent-dark); }
.chart-box { width: 100%; min-height: 240px; }
.bar-list { list-style: none; margin: 0; padding: 0; display: grid; gap: 6px; font-size: 14px; }
.bar-list li { display: grid; grid-template-columns: minmax(100px, 1fr) 2fr auto; gap: 10px; align-items: center; }
.bar-list meter { width: 100%; height: 12px; }
.toolbar-form { display: flex; gap: 10px; align-items: end; flex-wrap: wrap; }
.toolbar-form .field { min-width: 150px; }
/* Reports: range form, quick ranges, cards, charts (uPlot) and tables. */
.report-range { display: grid; gap: 12px; }
.report-range .field input, .report-range .field select { height: 40px; box-sizing: border-box; }
.report-range p { margin: 0; }
.preset-row { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
.report-intro { display: grid; gap: 12px; }
.report-intro p { margin: 0; }
.report-tabs { display: flex; gap: 8px; flex-wrap: wrap; }
.report-cards { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 16px; }
.report-card { display: grid; gap: 8px; grid-template-rows: auto 1fr auto; }
.report-card h2 { margin: 0; font-size: 18px; }
.report-card p { margin: 0; }
.report-card-foot { display: flex; justify-content: space-between; align-items: center; align-self: end; }
.report-charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 20px; }
.report-panel { min-width: 0; }
.report-panel h2 { margin-top: 0; font-size: 17px; }
.report-chart { width: 100%; min-height: 280px; }
.report-table th[scope=row] { color: var(--text); font-weight: 600; font-size: 14px; white-space: nowrap; }
.report-table td, .report-table th { white-space: nowrap; }
.report-table tbody tr:hover { background: var(--mute-bg); }
.report-table tr.row-zero td, .report-table tr.row-zero th { color: var(--muted); font-weight: 400; }
@media (max-width: 640px) { .report-charts { grid-template-columns: minmax(0, 1fr); } }
textarea.code { width: 100%; min-height: 420px; font: 13px/1.5 ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", monospace; border: 1px solid var(--border); border-radius: 10px; padding: 12px; }
.diff { font: 13px/1.5 ui-monospace, monospace; white-space: pre-wrap; background: var(--mute-bg); border-radius: 10px; padding: 12px; overflow-x: auto; }
.diff .add { background: var(--good-bg); color: var(--good); display: block; }
.diff .del { background: var(--bad-bg); color: var(--bad); display: block; }
.matrix td, .matrix th { text-align: center; }
.matrix th[scope="row"] { text-align: left; font-weight: 500; }

@media (max-width: 900px) {
  .search-layout, .product { grid-template-columns: minmax(0, 1fr); }
  .facets, .product-info { position: static; }
  .facets-summary { display: flex; align-items: center; justify-content: space-between; cursor: pointer; font-weight: 600; padding: 12px 0; list-style: none; }
  .facets-summary::-webkit-details-marker { display: none; }
  .facets-summary::after { content: "▾"; color: var(--muted); }
  details[open] > .facets-summary { border-bottom: 1px solid var(--border); }
  details[open] > .facets-summary::after { content: "▴"; }
}
@media (max-width: 640px) {
  .container { padding: 0 16px; }
  .header-inner { flex-wrap: wrap; gap: 12px; padding-top: 10px; padding-bottom: 10px; }
  .header-nav { margin-left: auto; flex-wrap: wrap; justify-content: flex-end; gap: 6px 14px; min-width: 0; }
  .site-header .searchbox { order: 3; flex-basis: 100%; max-width: none; }
  .site-header { position: static; }
  .grid { grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 12px; }
  .hero { padding: 40px 16px 32px; }
  .searchbox-lg button { padding: 12px 16px; }
  .product-info, .panel { padding: 20px; }
  .account-layout { grid-template-columns: 1fr; }
  .order-layout { grid-template-columns: 1fr; }
  .admin-layout { grid-template-columns: minmax(0, 1fr); }
  .field-wide { grid-column: auto; }
  .admin-nav { position: static; grid-auto-flow: column; grid-auto-columns: max-content; align-items: center; overflow-x: auto; }
  .admin-nav-title { display: none; }
  .account-nav { position: static; grid-auto-flow: column; overflow-x: auto; }
}
${promotionStyles}
`;

export const favicon = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="9" fill="#0d7a6a"/><path d="M6 17c4-6 10-7 15-3l5-4v12l-5-4c-5 4-11 3-15-1z" fill="#fff"/></svg>`;

/** Versioned so a deploy with new CSS is not hidden behind the hour of caching. */
export const stylesheetHref = `/static/trawl.css?v=${createHash('sha1').update(stylesheet).digest('hex').slice(0, 10)}`;
