import { type Browser, chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../crawler/render/index.ts';

/** Debian's Chromium (CHROMIUM_PATH overrides), headless, with the crawler's flags. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}
