import { type Logger, pino } from 'pino';
import { config } from './config.ts';

let root: Logger | undefined;

/** JSON logs (pino); pretty in an interactive terminal unless LOG_FORMAT=json. */
export function logger(): Logger {
  if (root) return root;
  const pretty = process.stdout.isTTY && process.env.LOG_FORMAT !== 'json';
  root = pino({
    level: config().LOG_LEVEL,
    base: { pid: process.pid },
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname' } } }
      : {}),
  });
  return root;
}

export type { Logger };
