/**
 * Renders the OpenAPI document in the browser. The document is data from our own API, but
 * it is still only ever inserted with textContent, never as HTML.
 */
export const docsScript = `
(function () {
  var root = document.getElementById('docs');
  var src = root.getAttribute('data-src');
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function schemaName(s, depth) {
    depth = depth || 0;
    if (!s || typeof s !== 'object') return 'any';
    if (s.$ref) return s.$ref.split('/').pop();
    if (s.title) return s.title;
    var alts = s.anyOf || s.oneOf;
    if (alts) return alts.map(function (a) { return schemaName(a, depth + 1); }).join(' | ');
    if (s.type === 'array') return schemaName(s.items, depth + 1) + '[]';
    if (s.enum) return s.enum.map(function (v) { return JSON.stringify(v); }).join(' | ');
    if (s.type === 'object' || s.properties) {
      var keys = Object.keys(s.properties || {});
      if (depth > 0 || keys.length === 0) return 'object';
      return '{ ' + keys.slice(0, 8).join(', ') + (keys.length > 8 ? ', …' : '') + ' }';
    }
    return Array.isArray(s.type) ? s.type.join(' | ') : (s.type || 'any');
  }
  function contentSchemas(content) {
    return Object.keys(content || {}).map(function (type) {
      return type + ': ' + schemaName(content[type].schema);
    }).join('; ');
  }
  function row(table, cells) {
    var tr = el('tr');
    cells.forEach(function (c) { tr.appendChild(el('td', null, c)); });
    table.appendChild(tr);
  }
  function table(headers) {
    var t = el('table', 'docs-table');
    var tr = el('tr');
    headers.forEach(function (h) { tr.appendChild(el('th', null, h)); });
    t.appendChild(tr);
    return t;
  }
  fetch(src, { headers: { accept: 'application/json' } })
    .then(function (res) {
      if (!res.ok) throw new Error('HTTP ' + res.status);
      return res.json();
    })
    .then(function (doc) {
      root.replaceChildren();
      var info = doc.info || {};
      var base = (doc.servers && doc.servers[0] && doc.servers[0].url) || src.replace(/\\/[^/]*$/, '');
      root.appendChild(el('p', 'docs-info', (info.title || 'API') + ' ' + (info.version ? 'v' + info.version : '') + ' — ' + (info.description || '')));
      root.appendChild(el('p', 'muted', 'Base URL: ' + base));
      var methods = ['get', 'post', 'put', 'patch', 'delete'];
      Object.keys(doc.paths || {}).forEach(function (path) {
        var item = doc.paths[path];
        methods.forEach(function (method) {
          var op = item[method];
          if (!op) return;
          var card = el('section', 'docs-op');
          var head = el('h2', 'docs-op-head');
          head.appendChild(el('span', 'method method-' + method, method.toUpperCase()));
          head.appendChild(el('code', 'docs-path', base + path));
          card.appendChild(head);
          if (op.summary) card.appendChild(el('p', null, op.summary));
          if (op.description) card.appendChild(el('p', 'muted', op.description));
          var params = (item.parameters || []).concat(op.parameters || []);
          if (params.length) {
            card.appendChild(el('h3', null, 'Parameters'));
            var pt = table(['Name', 'In', 'Type', 'Required', 'Description']);
            params.forEach(function (p) {
              row(pt, [p.name, p['in'], schemaName(p.schema), p.required ? 'yes' : 'no', p.description || (p.schema && p.schema.description) || '']);
            });
            card.appendChild(pt);
          }
          if (op.requestBody) {
            card.appendChild(el('h3', null, 'Request body'));
            card.appendChild(el('p', null, contentSchemas(op.requestBody.content) || '—'));
          }
          card.appendChild(el('h3', null, 'Responses'));
          var rt = table(['Status', 'Description', 'Schema']);
          Object.keys(op.responses || {}).forEach(function (status) {
            var r = op.responses[status];
            row(rt, [status, r.description || '', contentSchemas(r.content) || '—']);
          });
          card.appendChild(rt);
          root.appendChild(card);
        });
      });
    })
    .catch(function (error) {
      root.replaceChildren(el('p', 'error-detail', 'Could not load the API description: ' + error.message));
    });
})();
`;
