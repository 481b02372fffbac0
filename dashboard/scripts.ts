import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { uplotScript } from './admin/live-assets.ts';
import { liveRunScript } from './admin/live-run-script.ts';
import { reportChartScript } from './admin/report-chart-script.ts';
import { docsScript } from './pages/api-docs-script.ts';

/**
 * The storefront's JavaScript, served as files (the CSP allows no inline script) with no
 * bundler. Everything it does is an enhancement: without it forms have submit buttons,
 * thumbnails are links to the full image and the filter panel simply stays open on small screens.
 */
const clientScript = `
document.querySelectorAll('select[data-autosubmit]').forEach(function (select) {
  select.addEventListener('change', function () { select.form.submit(); });
  var button = select.form.querySelector('[data-autosubmit-button]');
  if (button) button.hidden = true;
});
if (window.matchMedia('(max-width: 900px)').matches) {
  document.querySelectorAll('details[data-collapse-narrow]').forEach(function (d) { d.open = false; });
}
// A product image the shop no longer serves (moved, deleted, host down): the placeholder a
// product without one shows, not the browser's broken-image box. Errors do not bubble, so they
// are caught on the way down; an image that failed before this script ran cannot be decoded.
var imageGone = function (img) {
  var box = document.createElement('div');
  box.className = 'img-placeholder';
  box.setAttribute('role', 'img');
  box.setAttribute('aria-label', 'Image unavailable');
  box.innerHTML = '<svg viewBox="0 0 24 24" width="40" height="40" aria-hidden="true"><path fill="currentColor" d="M21 5v14H3V5h18m0-2H3a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h18a2 2 0 0 0 2-2V5a2 2 0 0 0-2-2zm-7.1 9.1-3 3.9L8.8 13.3 6 17h12l-4.1-4.9z"/></svg>';
  if (img.parentNode) img.replaceWith(box);
};
document.addEventListener('error', function (event) {
  var target = event.target;
  if (target && target.tagName === 'IMG' && target.hasAttribute('data-product-image')) imageGone(target);
}, true);
document.querySelectorAll('img[data-product-image]').forEach(function (img) {
  if (img.complete && img.getAttribute('src')) img.decode().catch(function () { imageGone(img); });
});
// The QR pay page: ask whether the payment arrived, every two seconds, and move on when it has.
var qrPanel = document.querySelector('.qr-panel[data-payment]');
if (qrPanel) {
  var paymentId = qrPanel.getAttribute('data-payment');
  var doneUrl = qrPanel.getAttribute('data-done');
  var statusLine = document.getElementById('payment-status');
  var poll = function () {
    fetch('/api/v1/payments/' + encodeURIComponent(paymentId), { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (payment) {
        if (payment && payment.status === 'paid') {
          window.location.assign(doneUrl);
          return;
        }
        if (payment && statusLine) statusLine.textContent = payment.status === 'pending' ? 'Waiting for the payment…' : 'This payment is ' + payment.status + '.';
        setTimeout(poll, 2000);
      })
      .catch(function () { setTimeout(poll, 4000); });
  };
  setTimeout(poll, 2000);
}
// Back-office tables: a header checkbox that selects every row's checkbox of the same name.
document.addEventListener('change', function (event) {
  var all = event.target.closest && event.target.closest('input[data-select-all]');
  if (!all) return;
  var form = all.form || document;
  form.querySelectorAll('input[type=checkbox][name="' + all.getAttribute('data-select-all') + '"]').forEach(function (box) { box.checked = all.checked; });
});
document.addEventListener('click', function (event) {
  var thumb = event.target.closest && event.target.closest('a[data-full]');
  var main = document.getElementById('gallery-main');
  if (!thumb || !main) return;
  event.preventDefault();
  main.src = thumb.getAttribute('data-full');
  document.querySelectorAll('a[data-full]').forEach(function (t) {
    t.classList.toggle('active', t === thumb);
  });
});
`;

// htmx for the back office's partial updates, served by the app (the CSP allows only our origin).
const htmxScript = readFileSync(createRequire(import.meta.url).resolve('htmx.org/dist/htmx.min.js'), 'utf8');

/**
 * bull-board's page (/admin/queues/): its own API calls are same-origin writes on the session
 * cookie, so they carry the session's CSRF token like every form of ours does.
 */
const queuesScript = `
(function () {
  var meta = document.querySelector('meta[name="trawl-csrf"]');
  var token = meta ? meta.getAttribute('content') : '';
  if (!token) return;
  var safe = /^(GET|HEAD|OPTIONS)$/i;
  var sameOrigin = function (url) { return new URL(url, location.href).origin === location.origin; };
  var open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url) {
    open.apply(this, arguments);
    if (!safe.test(method) && sameOrigin(url)) this.setRequestHeader('X-CSRF-Token', token);
  };
  var fetch0 = window.fetch;
  window.fetch = function (input, init) {
    var request = new Request(input, init);
    if (!safe.test(request.method) && sameOrigin(request.url)) request.headers.set('X-CSRF-Token', token);
    return fetch0.call(window, request);
  };
})();
`;

export const scripts: Record<string, string> = {
  trawl: clientScript,
  'api-docs': docsScript,
  htmx: htmxScript,
  // The live run page: uPlot, then the page's own script.
  uplot: uplotScript,
  'live-run': liveRunScript,
  queues: queuesScript,
  // The report pages' charts (uPlot first).
  'report-chart': reportChartScript,
};

const versions = Object.fromEntries(
  Object.entries(scripts).map(([name, text]) => [
    name,
    createHash('sha1').update(text).digest('hex').slice(0, 10),
  ]),
);

/** Versioned like the stylesheet, so a deploy is not hidden behind the cache. */
export function scriptHref(name: keyof typeof scripts & string): string {
  return `/static/${name}.js?v=${versions[name]}`;
}
