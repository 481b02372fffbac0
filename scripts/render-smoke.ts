// Renders one URL in Chromium with the crawler's renderer and prints {status, title, jsRan} as
// JSON. test/image.test.ts runs it as an unprivileged user, the way the container image does.
import { BrowserRenderer } from '../crawler/render/browser.ts';

const url = process.argv[2];
if (!url) {
  process.stderr.write('usage: render-smoke URL\n');
  process.exit(2);
}
const renderer = new BrowserRenderer({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  userAgent: 'trawl-render-smoke',
});
try {
  const result = await renderer.render(url, { allowPrivateNetwork: true });
  const title = /<title>([^<]*)<\/title>/.exec(result.html)?.[1] ?? null;
  process.stdout.write(
    `${JSON.stringify({ status: result.status, title, jsRan: result.html.includes('rendered-by-js') })}\n`,
  );
} finally {
  await renderer.close();
}
