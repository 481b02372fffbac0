/**
 * Just enough PromQL reading for test/prometheus.test.ts: the metric names an expression
 * selects, and Grafana's variables replaced so Prometheus can run a dashboard's query.
 */

// Words that look like metric names but are operators or modifiers.
const keywords = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
  'inf',
  'nan',
  'atan2',
]);

/**
 * The metric names an expression selects, e.g. `sum by (le) (rate(x_bucket{a="b"}[5m]))` →
 * ["x_bucket"]. Functions and aggregations (a name followed by "("), label matchers, string
 * literals, ranges, grouping label lists and keywords are not names. Grafana's
 * `label_values(selector, label)` gives the names in its selector.
 */
export function metricNames(expr: string): string[] {
  const labelValues = /^\s*label_values\(\s*(.*?)\s*,\s*[a-zA-Z_]\w*\s*\)\s*$/.exec(expr);
  if (labelValues) return metricNames(labelValues[1] ?? '');
  if (/__name__/.test(expr)) throw new Error(`name matchers are not read here: ${expr}`);
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  // Identifiers, and numbers or durations (5m, 0.95, 1e3) as whole tokens so their letters are not names.
  for (const match of bare.matchAll(/[a-zA-Z_:][\w:]*|\d[\w.]*/g)) {
    const token = match[0];
    if (/^\d/.test(token) || keywords.has(token.toLowerCase())) continue;
    const next = bare.slice(match.index + token.length).trimStart();
    if (next.startsWith('(')) continue;
    names.add(token);
  }
  return [...names];
}

/**
 * Grafana's variables as a dashboard with its defaults would send them: built-in intervals
 * become fixed windows (long enough for the test's 1 s scrapes), template variables their
 * "All" value. Throws on a variable it does not know, so a new one is noticed.
 */
export function withGrafanaVariables(expr: string, allValues: Record<string, string>): string {
  const builtIn: Record<string, string> = {
    __rate_interval: '1m',
    __interval: '15s',
    __range: '5m',
  };
  return expr.replace(/\$\{(\w+)\}|\[\[(\w+)\]\]|\$(\w+)/g, (whole, a?: string, b?: string, c?: string) => {
    const name = a ?? b ?? c ?? '';
    const value = builtIn[name] ?? allValues[name];
    if (value === undefined) throw new Error(`unknown Grafana variable ${whole} in: ${expr}`);
    return value;
  });
}
