import { type Browser, chromium } from 'playwright-core';

/**
 * Debian's Chromium (CHROMIUM_PATH overrides), headless, with the background traffic a test does
 * not want switched off: no QUIC, component updates, sync or other network chatter.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
