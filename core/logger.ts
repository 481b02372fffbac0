import { type Logger, pino } from 'pino';
import { config } from './config.ts';
import { maskDeep, maskSecrets } from './secrets.ts';

/** Request parts that carry credentials: never logged, whatever a caller passes. */
const REDACT = [
  'password',
  '*.password',
  'token',
  '*.token',
  'authorization',
  'cookie',
  '*.authorization',
  '*.cookie',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
];

let root: Logger | undefined;

/** JSON logs (pino); pretty in an interactive terminal unless LOG_FORMAT=json. */
export function logger(): Logger {
  if (root) return root;
  const pretty = process.stdout.isTTY && process.env.LOG_FORMAT !== 'json';
  root = pino({
    level: config().LOG_LEVEL,
    base: { pid: process.pid },
    redact: { paths: REDACT, censor: '[redacted]' },
    // Secrets inside messages and errors (a connection string in a driver's error, say).
    hooks: {
      logMethod(args, method) {
        method.apply(
          this,
          args.map((arg) => (typeof arg === 'string' ? maskSecrets(arg) : arg)) as Parameters<typeof method>,
        );
      },
    },
    formatters: { log: (record) => maskDeep(record) },
    serializers: { err: (error: Error) => maskDeep(pino.stdSerializers.err(error)) },
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname' } } }
      : {}),
  });
  return root;
}

export type { Logger };
