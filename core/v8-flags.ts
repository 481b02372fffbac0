/**
 * V8 settings for every Trawl process that reads pages (crawler nodes, `trawl extract`, the
 * extraction benchmark).
 *
 * A page's parsed tree lives for the whole of its extraction while the extractors allocate many
 * short-lived strings. With V8's default 16 MiB semi-spaces a young-generation collection lands
 * in the middle of most pages: it copies the live tree, the next one promotes it to the old
 * generation, and only a full collection frees it. Depending on how V8's heuristics settle early
 * in a process, that cost either stays small or triples the collector's share: identical runs of
 * bench/extract.ts gave about 118 or about 75 pages/s. With 64 MiB semi-spaces a page's tree dies
 * young and every run measured was the fast kind. The price: bench/memory.ts measured a crawler
 * node's RSS about 60 MiB higher.
 */
export const V8_FLAGS: readonly string[] = ['--max-semi-space-size=64'];

/** Whether this process runs with V8_FLAGS, given on the command line or in NODE_OPTIONS. */
export function hasV8Flags(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions = process.env.NODE_OPTIONS ?? '',
): boolean {
  const given = new Set([...execArgv, ...nodeOptions.split(/\s+/)]);
  return V8_FLAGS.every((flag) => given.has(flag));
}
