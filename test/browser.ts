import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS } from '../crawler/render/index.ts';

/** Debian's Chromium (CHROMIUM_PATH overrides), headless, with the crawler's flags. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

/**
 * Saves a full-page screenshot as `name` in the directory TRAWL_SCREENSHOTS names (for people
 * to look at the pages: `TRAWL_SCREENSHOTS=test/screenshots npm test`); without it, nothing.
 * The tests assert on the DOM; screenshots took 0.45 s each (29 in the admin and buying tests
 * took 13.5 s of a run).
 * `dir` writes there instead, whatever TRAWL_SCREENSHOTS says (a README image on request).
 */
export async function screenshot(
  page: Page,
  name: string,
  options: { dir?: string; fullPage?: boolean } = {},
): Promise<void> {
  const dir = options.dir ?? process.env.TRAWL_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, name), fullPage: options.fullPage ?? true });
}
