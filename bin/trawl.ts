// The `trawl` command line. Help is answered from here without loading the rest (a second at
// least: the database client, the crawler, the API); every other command loads cli.ts.
import { usage } from './usage.ts';

const argv = process.argv.slice(2);
const help = argv.includes('--help') || argv.includes('-h');
const command = argv.find((a) => !a.startsWith('-'));
if (argv[0] !== 'extract' && (help || command === undefined)) {
  process.stdout.write(`${usage}\n`);
  process.exitCode = command !== undefined || help ? 0 : 2;
} else {
  const { run } = await import('./cli.ts');
  run(argv);
}
