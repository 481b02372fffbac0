/**
 * The report pages' script (served as /static/report-chart.js; the CSP allows no inline script).
 * It reads the charts from the page's `<script type="application/json" id="report-data">` and
 * draws them with uPlot: lines over time for series reports, bars for totals. The table under
 * the charts has every figure, so nothing is lost without JavaScript. Labels from the data only
 * ever reach the page through uPlot's text (textContent), never as HTML.
 */
export const reportChartScript = `
(function () {
  var data = document.getElementById('report-data');
  if (!data || typeof uPlot === 'undefined') return;
  var spec;
  try { spec = JSON.parse(data.textContent || '{}'); } catch (e) { return; }
  var COLORS = ['#0d7a6a', '#b42318', '#2f6fdf', '#a15c07', '#7a3fb8', '#4a5565', '#d6336c', '#1c7ed6', '#2b8a3e', '#e8590c'];
  var number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
  var plots = [];

  function short(text) { text = String(text); return text.length > 16 ? text.slice(0, 15) + '\\u2026' : text; }

  function options(chart, width) {
    var bars = chart.kind === 'bars';
    var hasN = chart.series.some(function (s) { return s.scale === 'n'; });
    var series = [{ label: bars ? 'Item' : 'Period', value: function (u, v) {
      if (v === null || v === undefined) return '\\u2013';
      return bars ? (chart.labels[v] || '') : new Date(v * 1000).toISOString().slice(0, 10);
    } }];
    chart.series.forEach(function (s, i) {
      var color = COLORS[i % COLORS.length];
      series.push({
        label: s.label,
        scale: s.scale === 'n' ? 'n' : 'y',
        stroke: color,
        width: 2,
        fill: bars ? color + 'cc' : undefined,
        dash: s.scale === 'n' ? [6, 4] : undefined,
        points: { show: chart.labels.length <= 62 },
        paths: bars && uPlot.paths && uPlot.paths.bars ? uPlot.paths.bars({ size: [0.6, 64] }) : undefined,
        value: function (u, v) { return v === null || v === undefined ? '\\u2013' : number.format(v); }
      });
    });
    var axes = [
      bars
        ? { values: function (u, splits) { return splits.map(function (i) { return Number.isInteger(i) && chart.labels[i] !== undefined ? short(chart.labels[i]) : ''; }); }, space: 40, rotate: 0 }
        : {},
      { scale: 'y', values: function (u, splits) { return splits.map(function (v) { return number.format(v); }); }, size: 70 }
    ];
    if (hasN) axes.push({ scale: 'n', side: 1, grid: { show: false }, size: 50, values: function (u, splits) { return splits.map(function (v) { return Number.isInteger(v) ? number.format(v) : ''; }); } });
    return {
      width: width,
      height: 280,
      series: series,
      axes: axes,
      scales: bars
        ? { x: { time: false, range: function () { return [-0.5, chart.labels.length - 0.5]; } }, y: { range: function (u, min, max) { return [Math.min(0, min), max > 0 ? max * 1.1 : 1]; } } }
        : { x: { time: true }, y: { range: function (u, min, max) { return [Math.min(0, min), max > 0 ? max * 1.1 : 1]; } }, n: { range: function (u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; } } },
      // Periods are UTC days: the axis and legend say the same days whatever the browser's zone.
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'); },
      legend: { live: true },
      cursor: { drag: { x: false, y: false } }
    };
  }

  function columns(chart) {
    var xs = chart.kind === 'bars'
      ? chart.labels.map(function (_, i) { return i; })
      : chart.labels.map(function (p) { return Date.parse(p + 'T00:00:00Z') / 1000; });
    return [xs].concat(chart.series.map(function (s) { return s.values; }));
  }

  (spec.charts || []).forEach(function (chart, i) {
    var box = document.querySelector('[data-chart="' + i + '"]');
    if (!box || !chart.labels.length) return;
    var plot = new uPlot(options(chart, Math.max(280, box.clientWidth)), columns(chart), box);
    plots.push({ plot: plot, box: box });
    box.setAttribute('data-drawn', '1');
  });

  var pending = null;
  window.addEventListener('resize', function () {
    if (pending) clearTimeout(pending);
    pending = setTimeout(function () {
      plots.forEach(function (p) { p.plot.setSize({ width: Math.max(280, p.box.clientWidth), height: 280 }); });
    }, 150);
  });
})();
`;
