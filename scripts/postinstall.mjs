// Generates the Prisma client after install (into core/db/generated, which is not committed).
import { runPrisma } from './prisma.mjs';

const result = await runPrisma(['generate'], { quiet: true });
if (result.code !== 0) {
  process.stderr.write(`${result.stdout}${result.stderr}\n`);
  process.stderr.write(
    'trawl: generating the Prisma client failed; fix the error above and run `npm rebuild trawl` or `npm ci`.\n',
  );
  process.exit(result.code);
}

// Then the JavaScript the processes run (dist/): no TypeScript is compiled at start.
await import('./build.mjs');
