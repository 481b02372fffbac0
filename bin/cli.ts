import { parseArgs } from 'node:util';
import { ConfigError, config } from '../core/config.ts';
import { CliError } from './api-client.ts';
import { exitOnSignals, shutdown } from './shutdown.ts';
import { usage } from './usage.ts';

// Each command loads only what it uses: `trawl whoami` needs no database client, BullMQ,
// crawler or API, and answers in a fraction of the time.
async function main(argv: string[]): Promise<number> {
  // `extract` has options of its own.
  if (argv[0] === 'extract') return (await import('./commands/extract.ts')).extractCommand(argv.slice(1));
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      wait: { type: 'boolean', default: false },
      watch: { type: 'boolean', default: false },
      test: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      quiet: { type: 'boolean', short: 'q', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      email: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      url: { type: 'string' },
    },
  });
  const [command, sub, arg] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${usage}\n`);
    return command || values.help ? 0 : 2;
  }
  config(); // Fail early, with one line per bad variable.
  switch (command) {
    case 'check':
      return (await import('./commands/check.ts')).checkCommand({ test: values.test, quiet: values.quiet });
    case 'db':
      if (sub !== 'migrate') break;
      return (await import('./commands/check.ts')).checkCommand({ test: false, quiet: false });
    case 'search': {
      if (sub !== 'reindex' && sub !== 'sync') break;
      const { searchEngine } = await import('../catalog/index.ts');
      const engine = searchEngine();
      const count = sub === 'reindex' ? await engine.reindex() : await engine.sync();
      process.stdout.write(
        `${engine.name}: ${count} ${sub === 'reindex' ? 'documents indexed' : 'products sent'}\n`,
      );
      return 0;
    }
    case 'site': {
      const { siteAdd, siteList, siteShow } = await import('./commands/site.ts');
      if (sub === 'add' && arg) return siteAdd(arg);
      if (sub === 'list') return siteList(values.json);
      if (sub === 'show' && arg) return siteShow(arg);
      break;
    }
    case 'crawl': {
      if (!sub) break;
      return (await import('./commands/crawl.ts')).crawlCommand(sub, arg, {
        wait: values.wait,
        watch: values.watch,
        json: values.json,
      });
    }
    case 'user': {
      const { userCreate, userList, userPassword } = await import('./commands/user.ts');
      if (sub === 'create') return userCreate(values);
      if (sub === 'passwd') return userPassword(values);
      if (sub === 'list') return userList({ ...values, json: values.json });
      break;
    }
    case 'login':
      return (await import('./commands/auth.ts')).loginCommand(values);
    case 'logout':
      return (await import('./commands/auth.ts')).logoutCommand();
    case 'whoami':
      return (await import('./commands/auth.ts')).whoamiCommand(values.json);
    case 'api':
      await (await import('./commands/api.ts')).apiCommand();
      return -1;
    case 'worker': {
      const { WORKER_KINDS, workerCommand } = await import('./commands/worker.ts');
      const kind = WORKER_KINDS.find((k) => k === sub);
      if (!kind) break;
      await workerCommand(kind);
      return -1;
    }
    case 'start':
      await (await import('./commands/start.ts')).startCommand();
      return -1;
  }
  process.stderr.write(`trawl: unknown command "${positionals.join(' ')}"\n\n${usage}\n`);
  return 2;
}

/** Runs one command line (everything but help, which bin/trawl.ts answers without loading this). */
export function run(argv: string[]): void {
  exitOnSignals();
  main(argv).then(
    (code) => {
      // -1: a long-running command; it keeps the process alive until a signal.
      if (code >= 0) void shutdown(code);
    },
    (error: unknown) => {
      if (error instanceof CliError) {
        process.stderr.write(
          `trawl: ${error.message}\n${error.details.map((line) => `  ${line}\n`).join('')}`,
        );
        void shutdown(error.exitCode);
        return;
      }
      if (error instanceof ConfigError) {
        process.stderr.write(`trawl: configuration error:\n${error.message}\n`);
      } else if (
        error instanceof Error &&
        error.name === 'TypeError' &&
        'code' in error &&
        String(error.code).startsWith('ERR_PARSE_ARGS')
      ) {
        process.stderr.write(`trawl: ${error.message}\n\n${usage}\n`);
      } else {
        process.stderr.write(
          `trawl: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
        );
      }
      void shutdown(1);
    },
  );
}
