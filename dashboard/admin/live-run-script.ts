/**
 * The live run page's script (served as /static/live-run.js; the CSP allows no inline script).
 * It follows the run's Server-Sent Events, updates the counters and tables in place, and draws
 * the uPlot charts from the buckets it has (the last five minutes while live; the stored history
 * once the run has ended). Text from crawled pages (URLs, messages) only ever goes in textContent.
 */
export const liveRunScript = `
(function () {
  var root = document.getElementById('live-run');
  if (!root || typeof uPlot === 'undefined') return;
  var KEEP = 300;
  var COLORS = ['#0d7a6a', '#b42318', '#2f6fdf', '#a15c07', '#7a3fb8', '#4a5565', '#d6336c', '#1c7ed6', '#2b8a3e', '#e8590c'];
  var ERROR_LABELS = { http_4xx: 'HTTP 4xx', http_5xx: 'HTTP 5xx', timeout: 'Timeout', network: 'Network', too_large: 'Too large', content_type: 'Not HTML', private_address: 'Private address', other: 'Other' };
  var buckets = [];
  var charts = {};
  var lastId = null;
  var source = null;
  var retry = null;
  var hiddenTimer = null;
  var ended = root.getAttribute('data-active') !== '1';
  var number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

  function sum(obj) { var n = 0; for (var k in obj) n += obj[k]; return n; }
  function perSecond(value, b) { return value / (b.width || 1); }
  function setText(selector, text) {
    var node = root.querySelector(selector);
    if (node && node.textContent !== text) node.textContent = text;
  }
  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (attrs) for (var k in attrs) node.setAttribute(k, attrs[k]);
    return node;
  }
  function ms(v) { return v === null || v === undefined ? '\\u2013' : number.format(Math.round(v)) + ' ms'; }
  function mib(v) { return v === null || v === undefined ? '\\u2013' : number.format(Math.round(v)) + ' MiB'; }

  // What each chart shows: its series (name, value of a bucket, scale) from the buckets at hand.
  function topKeys(pick, limit) {
    var totals = {};
    buckets.forEach(function (b) { var o = pick(b); for (var k in o) totals[k] = (totals[k] || 0) + (o[k].pages !== undefined ? o[k].pages : o[k]); });
    return Object.keys(totals).sort(function (a, b) { return totals[b] - totals[a] || (a < b ? -1 : 1); }).slice(0, limit);
  }
  var definitions = {
    pages: function () {
      return [
        { label: 'Pages/s', value: function (b) { return perSecond(b.pages, b); } },
        { label: 'Failed/s', value: function (b) { return perSecond(sum(b.errors), b); } }
      ];
    },
    queue: function () {
      return [
        { label: 'Queue depth', value: function (b) { return b.queue; } },
        { label: 'In flight', scale: 'n', value: function (b) { return b.inFlight; } }
      ];
    },
    statuses: function () {
      var classes = {};
      buckets.forEach(function (b) { for (var s in b.statuses) classes[String(s).charAt(0) + 'xx'] = true; });
      classes['2xx'] = true;
      return Object.keys(classes).sort().map(function (c) {
        return { label: c, value: function (b) { var n = 0; for (var s in b.statuses) if (String(s).charAt(0) + 'xx' === c) n += b.statuses[s]; return perSecond(n, b); } };
      });
    },
    errors: function () {
      var kinds = topKeys(function (b) { return b.errors; }, 8);
      if (kinds.length === 0) return [{ label: 'Errors/s', value: function () { return 0; } }];
      return kinds.map(function (k) { return { label: ERROR_LABELS[k] || k, value: function (b) { return perSecond(b.errors[k] || 0, b); } }; });
    },
    products: function () {
      return [
        { label: 'Found/s', value: function (b) { return perSecond(b.found, b); } },
        { label: 'New/s', value: function (b) { return perSecond(b.new, b); } },
        { label: 'Changed/s', value: function (b) { return perSecond(b.changed, b); } }
      ];
    },
    latency: function () {
      var out = [];
      topKeys(function (b) { return b.hosts; }, 3).forEach(function (h) {
        var name = h === '~other' ? 'other hosts' : h;
        out.push({ label: name + ' p50', value: function (b) { var s = b.hosts[h]; return s ? s.p50 : null; } });
        out.push({ label: name + ' p95', value: function (b) { var s = b.hosts[h]; return s ? s.p95 : null; } });
      });
      out.push({ label: 'Mean wait', value: function (b) { return b.waits > 0 ? b.waitMs / b.waits : null; } });
      return out;
    },
    nodes: function () {
      var nodes = topKeys(function (b) { return b.nodes; }, 8);
      if (nodes.length === 0) return [{ label: 'Pages/s', value: function () { return 0; } }];
      return nodes.map(function (n) { return { label: n, value: function (b) { var s = b.nodes[n]; return s ? perSecond(s.pages, b) : 0; } }; });
    }
  };

  function draw() {
    Object.keys(definitions).forEach(function (name) {
      var box = root.querySelector('[data-chart="' + name + '"]');
      if (!box) return;
      var defs = definitions[name]();
      var data = [buckets.map(function (b) { return b.t; })];
      defs.forEach(function (d) { data.push(buckets.map(d.value)); });
      var labels = defs.map(function (d) { return d.label; }).join('|');
      var chart = charts[name];
      if (chart && chart.labels === labels) { chart.plot.setData(data); return; }
      if (chart) chart.plot.destroy();
      var twoScales = defs.some(function (d) { return d.scale === 'n'; });
      var opts = {
        width: Math.max(280, box.clientWidth),
        height: 220,
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true } },
        series: [{}].concat(defs.map(function (d, i) {
          return { label: d.label, stroke: COLORS[i % COLORS.length], width: 2, scale: d.scale || 'y', points: { show: false } };
        })),
        axes: [{}, { scale: 'y' }].concat(twoScales ? [{ scale: 'n', side: 1, grid: { show: false } }] : [])
      };
      charts[name] = { labels: labels, plot: new uPlot(opts, data, box) };
      box.setAttribute('data-points', String(buckets.length));
    });
    Object.keys(charts).forEach(function (name) {
      var box = root.querySelector('[data-chart="' + name + '"]');
      if (box) box.setAttribute('data-points', String(buckets.length));
    });
  }
  window.addEventListener('resize', function () {
    Object.keys(charts).forEach(function (name) {
      var box = root.querySelector('[data-chart="' + name + '"]');
      if (box) charts[name].plot.setSize({ width: Math.max(280, box.clientWidth), height: 220 });
    });
  });

  function setCounters(c) {
    if (!c) return;
    ['fetched', 'failed', 'productsFound', 'productsNew', 'productsChanged', 'queueDepth', 'inFlight'].forEach(function (name) {
      if (typeof c[name] === 'number') setText('[data-counter="' + name + '"]', number.format(c[name]));
    });
  }
  function setStatus(status) {
    var badge = root.querySelector('[data-status]');
    if (!badge || !status) return;
    var tone = { running: 'good', paused: 'warn', completed: 'good', finished: 'good', failed: 'bad', cancelled: 'muted' }[status] || 'muted';
    badge.className = 'badge badge-' + tone;
    badge.lastChild.textContent = status;
  }
  function setConnection(state, text) {
    var node = root.querySelector('[data-connection]');
    if (!node) return;
    node.setAttribute('data-state', state);
    node.textContent = text;
  }

  function fillTable(name, rows, columns, empty) {
    var body = root.querySelector('[data-table="' + name + '"] tbody');
    if (!body) return;
    var fresh = document.createElement('tbody');
    if (rows.length === 0) {
      var tr = el('tr');
      tr.appendChild(el('td', empty, { colspan: String(columns), class: 'muted' }));
      fresh.appendChild(tr);
    }
    rows.forEach(function (cells) {
      var row = el('tr');
      cells.forEach(function (cell, i) {
        var td = el(i === 0 ? 'th' : 'td', null, i === 0 ? { scope: 'row' } : null);
        if (cell instanceof Node) td.appendChild(cell); else td.textContent = cell;
        row.appendChild(td);
      });
      fresh.appendChild(row);
    });
    body.parentNode.replaceChild(fresh, body);
  }
  function setTables(span, examples, alive) {
    var counts = (span && span.errors) || {};
    var kinds = Object.keys(ERROR_LABELS).filter(function (k) { return counts[k] > 0 || (examples[k] && examples[k].length); });
    fillTable('errors', kinds.map(function (k) {
      var list = el('ul', null, { class: 'example-list' });
      (examples[k] || []).forEach(function (e) {
        var li = el('li');
        var safe = /^https?:\\/\\//i.test(e.url);
        li.appendChild(safe ? el('a', e.url, { href: e.url, rel: 'noreferrer nofollow' }) : el('span', e.url));
        li.appendChild(el('span', ' \\u2014 ' + e.message, { class: 'muted' }));
        list.appendChild(li);
      });
      return [ERROR_LABELS[k], number.format(counts[k] || 0), list];
    }), 3, 'No errors.');
    fillTable('hosts', ((span && span.hosts) || []).map(function (h) {
      return [h.host === '~other' ? 'other hosts' : h.host, number.format(h.pages), ms(h.p50), ms(h.p95), ms(h.meanWaitMs)];
    }), 5, 'No responses yet.');
    var share = {};
    ((span && span.nodes) || []).forEach(function (n) { share[n.id] = n; });
    var rows = alive
      ? alive.map(function (n) {
          var id = el('span'); id.appendChild(el('code', n.id)); id.appendChild(el('div', n.hostname + ' \\u00b7 pid ' + n.pid, { class: 'muted' }));
          return [id, ((share[n.id] && share[n.id].pagesPerSecond) || 0).toFixed(1), n.pagesPerSecond.toFixed(1), number.format(n.inFlight), mib(n.rssMb), mib(n.heapUsedMb)];
        })
      : ((span && span.nodes) || []).map(function (n) {
          return [el('code', n.id), n.pagesPerSecond.toFixed(1), '\\u2013', number.format(n.inFlight), mib(n.rssMb), mib(n.heapMb)];
        });
    fillTable('nodes', rows, 6, alive ? 'No crawler node is alive.' : 'No node reported.');
  }

  function onTick(data) {
    var snapshot = data.snapshot;
    var last = buckets.length ? buckets[buckets.length - 1].t : -1;
    snapshot.buckets.forEach(function (b) { if (b.t > last) buckets.push(b); });
    if (buckets.length > KEEP) buckets.splice(0, buckets.length - KEEP);
    if (snapshot.counters) {
      setCounters(snapshot.counters);
      setStatus(snapshot.counters.status);
    }
    setText('[data-counter="rate"]', snapshot.recent.pagesPerSecond.toFixed(1));
    var started = Number(root.getAttribute('data-started'));
    if (started > 0) {
      var seconds = Math.max(0, Math.round(Date.now() / 1000 - started / 1000));
      setText('[data-duration]', (seconds >= 60 ? Math.floor(seconds / 60) + ' min ' : '') + (seconds % 60) + ' s');
    }
    setTables(snapshot.minute, snapshot.examples || {}, snapshot.nodes);
    draw();
  }

  function loadHistory() {
    return fetch(root.getAttribute('data-samples'), { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (history) {
        if (!history) return;
        if (history.samples.length === 0 && !ended) return;
        buckets = history.samples;
        if (history.summary && history.summary.hosts) setTables(history.summary, history.examples || {}, null);
        draw();
        return history.samples.length;
      });
  }

  function onEnd(data) {
    ended = true;
    if (source) source.close();
    setStatus(data.status);
    setCounters(data.run);
    setConnection('ended', 'Finished: history from the database.');
    // The run's series is stored a few seconds after its end; ask until it is there.
    var tries = 0;
    (function again() {
      loadHistory().then(function (n) { if (!n && ++tries < 10) setTimeout(again, 1500); }, function () {});
    })();
  }

  function connect() {
    clearTimeout(retry);
    var url = root.getAttribute('data-stream') + (lastId !== null ? '?after=' + encodeURIComponent(lastId) : '');
    source = new EventSource(url);
    source.addEventListener('tick', function (event) {
      lastId = event.lastEventId;
      setConnection('live', 'Live');
      onTick(JSON.parse(event.data));
    });
    source.addEventListener('end', function (event) { onEnd(JSON.parse(event.data)); });
    source.onerror = function () {
      if (ended) return;
      setConnection('reconnecting', 'Reconnecting\\u2026');
      // A refused stream (too many open, signed out) is not retried by the browser: we retry.
      if (source.readyState === 2) retry = setTimeout(connect, 5000);
    };
  }

  // A tab nobody looks at gives its stream back after a minute, and catches up when seen again.
  document.addEventListener('visibilitychange', function () {
    if (ended) return;
    if (document.hidden) {
      hiddenTimer = setTimeout(function () { if (source) source.close(); setConnection('paused', 'Paused while hidden'); }, 60000);
    } else {
      clearTimeout(hiddenTimer);
      if (source && source.readyState === 2) connect();
    }
  });

  if (ended) loadHistory().catch(function () {});
  else connect();
})();
`;
