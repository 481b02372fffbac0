/**
 * The layer rules of DESIGN.md, checked in `npm test` (test/architecture.test.ts):
 * core/ imports nothing of ours; crawler/ only core/; catalog/ and commerce/ reach each other
 * (and the crawler) only through an index.ts, never api/ or dashboard/; dashboard/ renders and
 * never touches the database or a service at run time; nothing imports bin/, bench/ or test/;
 * code that runs in production imports no devDependency.
 */
const ours =
  '^(core|crawler|catalog|commerce|api|dashboard|workers|bin|bench|demo|plugins|test|scripts|prisma)/';
const production = '^(core|crawler|catalog|commerce|api|dashboard|workers|bin|demo|plugins)/';
const testFile = '\\.test\\.tsx?$';

module.exports = {
  forbidden: [
    {
      name: 'core-imports-nothing-of-ours',
      comment: 'core/ is the base layer: config, database client, queues, logger, metrics, shared types.',
      severity: 'error',
      from: { path: '^core/', pathNot: testFile },
      // scripts/prisma.mjs is the Prisma CLI runner (plain JS, also used at install time).
      to: { path: ours, pathNot: ['^core/', '^scripts/prisma\\.mjs$'] },
    },
    {
      name: 'crawler-imports-only-core',
      comment: 'crawler/ knows nothing of HTTP routes, views, the catalog or the shop.',
      severity: 'error',
      from: { path: '^crawler/', pathNot: testFile },
      to: { path: ours, pathNot: '^(core|crawler)/' },
    },
    {
      name: 'domains-never-import-http-or-views',
      comment: 'catalog/ and commerce/ are services: api/ and dashboard/ sit above them.',
      severity: 'error',
      from: { path: '^(catalog|commerce)/', pathNot: testFile },
      to: { path: '^(api|dashboard|workers|bin|bench|demo)/' },
    },
    {
      name: 'contexts-meet-only-at-index',
      comment: 'A context uses another (or the crawler) only through its index.ts, never its internals.',
      severity: 'error',
      from: { path: '^(catalog|commerce/[^/]+)/', pathNot: testFile },
      to: {
        path: '^(crawler|catalog|commerce/[^/]+)/',
        pathNot: ['^(crawler|catalog|commerce/[^/]+)/index\\.ts$', '^$1/'],
      },
    },
    {
      name: 'views-never-touch-data',
      comment:
        'dashboard/ renders what services return. It may import their types.ts (type-only re-exports), never a service or the database.',
      severity: 'error',
      from: { path: '^dashboard/' },
      to: {
        path: '^(core/db|catalog|commerce|workers|crawler|api)/',
        pathNot: '^(catalog|commerce/[^/]+)/types\\.ts$',
      },
    },
    {
      name: 'nobody-imports-the-top',
      comment: 'bin/, bench/ and test/ compose everything; nothing below may depend on them.',
      severity: 'error',
      from: { path: production, pathNot: [testFile, '^bin/'] },
      to: { path: '^(bin|bench|test)/' },
    },
    {
      name: 'production-code-has-its-dependencies',
      comment: 'What runs in production must be in "dependencies": the image installs nothing else.',
      severity: 'error',
      from: { path: production, pathNot: testFile },
      to: { dependencyTypes: ['npm-dev'] },
    },
    {
      name: 'no-unresolvable-imports',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Not node_modules: excluding it would drop the edges to packages too.
    exclude: { path: '^core/db/generated/' },
    // TypeScript 7 has no JavaScript API: test/architecture.test.ts has Babel strip the types
    // (babel.depcruise.json; type-only imports go too), so the graph holds the run-time imports.
    tsPreCompilationDeps: false,
    enhancedResolveOptions: {
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types'],
    },
  },
};
