import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';
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
  root ??= createLogger();
  return root;
}

/** A logger with Trawl's options (level, redaction, secret masking), writing to `destination` when given. */
export function createLogger(destination?: DestinationStream): Logger {
  const pretty = !destination && process.stdout.isTTY && process.env.LOG_FORMAT !== 'json';
  const options: LoggerOptions = {
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
    serializers: {
      err: (error: unknown) => {
        // Some callers log a message string as err; only errors need serialising.
        if (!(error instanceof Error)) return maskDeep(error);
        // pino's serialised error keeps type, message and stack on its prototype: copy them out.
        const serialised = pino.stdSerializers.err(error);
        return maskDeep({
          ...serialised,
          type: serialised.type,
          message: serialised.message,
          stack: serialised.stack,
        });
      },
    },
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname' } } }
      : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
