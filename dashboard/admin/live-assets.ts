import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * uPlot, served by the app itself (no CDN: the CSP allows only our origin, and installs may have
 * no internet), and the live run page's stylesheet: uPlot's own rules plus the page's few.
 */
const require = createRequire(import.meta.url);
export const uplotScript = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');

export const liveStylesheet = `${readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8')}
.live-run { display: grid; gap: 20px; }
.live-meta { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; margin: 0; }
.live-indicator { font-size: 13px; }
.live-indicator[data-state="live"]::before { content: ""; display: inline-block; width: 8px; height: 8px; border-radius: 50%; background: var(--good); margin-right: 6px; }
.live-charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 20px; }
.live-panel { min-width: 0; }
.live-note { margin: -4px 0 8px; font-size: 13px; }
.live-chart { width: 100%; min-height: 220px; }
.example-list { list-style: none; margin: 0; padding: 0; display: grid; gap: 4px; font-size: 13px; overflow-wrap: anywhere; }
.u-legend { font-size: 12px; }
@media (max-width: 640px) { .live-charts { grid-template-columns: minmax(0, 1fr); } }
`;

export const liveStylesheetHref = `/static/live.css?v=${createHash('sha1').update(liveStylesheet).digest('hex').slice(0, 10)}`;
