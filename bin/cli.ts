import { parseArgs } from 'node:util';
import { closeLiveStreams } from '../api/index.ts';
import { CrawlRuns, exportActiveRuns, searchEngine } from '../catalog/index.ts';
import { answerMetricsRequests, isApiWorker } from '../core/cluster-metrics.ts';
import { ConfigError, config } from '../core/config.ts';
import { closeDb } from '../core/db/index.ts';
import { logger } from '../core/logger.ts';
import { serveMetrics } from '../core/metrics.ts';
import { exportQueueDepths } from '../core/queues.ts';
import { hasV8Flags, V8_FLAGS } from '../core/v8-flags.ts';
import {
  IngestWorker,
  OrderWorker,
  PromotionWorker,
  SchedulerWorker,
  SearchSyncWorker,
  startCrawlerNode,
  WebhookWorker,
} from '../workers/index.ts';
import { CliError } from './api-client.ts';
import { serveApiProcesses } from './commands/api-processes.ts';
import { loginCommand, logoutCommand, whoamiCommand } from './commands/auth.ts';
import { checkCommand } from './commands/check.ts';
import { crawlCommand } from './commands/crawl.ts';
import { extractCommand } from './commands/extract.ts';
import { serveApi } from './commands/serve.ts';
import { siteAdd, siteList, siteShow } from './commands/site.ts';
import { startCommand } from './commands/start.ts';
import { userCreate, userList, userPassword } from './commands/user.ts';
import { exitOnSignals, onShutdown, shutdown } from './shutdown.ts';
import { usage } from './usage.ts';

async function main(argv: string[]): Promise<number> {
  // `extract` has options of its own.
  if (argv[0] === 'extract') return extractCommand(argv.slice(1));
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
      return checkCommand({ test: values.test, quiet: values.quiet });
    case 'db':
      if (sub !== 'migrate') break;
      return checkCommand({ test: false, quiet: false });
    case 'search': {
      if (sub !== 'reindex' && sub !== 'sync') break;
      const engine = searchEngine();
      const count = sub === 'reindex' ? await engine.reindex() : await engine.sync();
      process.stdout.write(
        `${engine.name}: ${count} ${sub === 'reindex' ? 'documents indexed' : 'products sent'}\n`,
      );
      await closeDb();
      return 0;
    }
    case 'site':
      if (sub === 'add' && arg) return siteAdd(arg);
      if (sub === 'list') return siteList(values.json);
      if (sub === 'show' && arg) return siteShow(arg);
      break;
    case 'crawl': {
      if (!sub) break;
      return crawlCommand(sub, arg, { wait: values.wait, watch: values.watch, json: values.json });
    }
    case 'user':
      if (sub === 'create') return userCreate(values);
      if (sub === 'passwd') return userPassword(values);
      if (sub === 'list') return userList({ ...values, json: values.json });
      break;
    case 'login':
      return loginCommand(values);
    case 'logout':
      return logoutCommand();
    case 'whoami':
      return whoamiCommand(values.json);
    case 'api': {
      if (config().API_PROCESSES > 1 && !isApiWorker()) {
        const { url } = await serveApiProcesses(config().API_PROCESSES);
        logger().info({ url, processes: config().API_PROCESSES }, 'API and storefront listening');
        return -1;
      }
      if (isApiWorker()) answerMetricsRequests();
      exportQueueDepths();
      exportActiveRuns();
      const { url, server } = await serveApi(config().PORT, config().HOST);
      onShutdown(() => new Promise((resolve) => server.close(() => resolve(undefined))));
      // Runs before the server closes (hooks run newest first): open live streams would hold it.
      onShutdown(closeLiveStreams);
      // The API process also starts scheduled crawls; more schedulers may run elsewhere.
      const scheduler = new SchedulerWorker(new CrawlRuns(), logger().child({ component: 'scheduler' }));
      await scheduler.ready();
      onShutdown(() => scheduler.close());
      // And order timers; more order workers may run elsewhere (`trawl worker orders`).
      const orders = new OrderWorker(logger().child({ component: 'orders' }));
      await orders.ready();
      onShutdown(() => orders.close());
      // And promotion timers (boundaries, flash-sale lapses, group-buy deadlines).
      const promotions = new PromotionWorker(logger().child({ component: 'promotions' }));
      await promotions.ready();
      onShutdown(() => promotions.close());
      if (!isApiWorker()) logger().info({ url }, 'API and storefront listening');
      return -1;
    }
    case 'worker': {
      const log = logger().child({ component: `worker-${sub}` });
      exportQueueDepths();
      exportActiveRuns();
      if (sub === 'crawl') {
        if (!hasV8Flags())
          log.warn(
            { missing: V8_FLAGS },
            `started without ${V8_FLAGS.join(' ')}: reading pages can take half as long again; start it with npx trawl, npm run trawl, or NODE_OPTIONS="${V8_FLAGS.join(' ')}"`,
          );
        const node = await startCrawlerNode(log);
        onShutdown(() => node.close());
      } else if (sub === 'ingest') {
        const worker = new IngestWorker(new CrawlRuns(), log);
        await worker.ready();
        onShutdown(() => worker.close());
      } else if (sub === 'scheduler') {
        const worker = new SchedulerWorker(new CrawlRuns(), log);
        await worker.ready();
        onShutdown(() => worker.close());
      } else if (sub === 'orders') {
        const worker = new OrderWorker(log);
        await worker.ready();
        onShutdown(() => worker.close());
        const promotions = new PromotionWorker(log.child({ component: 'promotions' }));
        await promotions.ready();
        onShutdown(() => promotions.close());
      } else if (sub === 'webhooks') {
        const worker = new WebhookWorker(log);
        onShutdown(() => worker.close());
      } else if (sub === 'search-sync') {
        const worker = new SearchSyncWorker(log);
        onShutdown(() => worker.close());
      } else {
        break;
      }
      const metrics = await serveMetrics(config().METRICS_PORT, config().METRICS_HOST);
      onShutdown(() => new Promise((resolve) => metrics.server.close(() => resolve(undefined))));
      log.info({ metricsPort: metrics.port }, `${sub} worker started`);
      return -1;
    }
    case 'start':
      await startCommand();
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
