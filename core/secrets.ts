/**
 * Keeps secrets out of error messages and logs: passwords inside URLs (DATABASE_URL,
 * REDIS_URL), values of variables whose names say they are secret, and any value registered
 * with `registerSecret` (a payment key read from the database, say).
 */

const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^/\s:@]*):([^/\s@]+)@/gi;
const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|_KEY$|^KEY$|PRIVATE|CREDENTIAL)/i;
/** Keys of log fields and error details whose string values are secrets themselves. */
const SECRET_FIELD =
  /^(password|passwd|secret|token|api_?key|private_?key|authorization|cookie|set-cookie|[a-z_]*(secret|password))$/i;
export const MASK = '***';

const known = new Set<string>();

/** Masks this exact value wherever it appears from now on (values shorter than 6 characters are ignored). */
export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 6) known.add(value);
}

/** Collects the secrets found in an environment: URL passwords and values of secret-named variables. */
export function registerSecretsFromEnv(env: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(env)) {
    if (!value) continue;
    if (SECRET_NAME.test(name)) registerSecret(value);
    for (const match of value.matchAll(URL_CREDENTIALS)) registerSecret(safeDecode(match[3]!));
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The text with URL passwords and registered secrets replaced by ***. */
export function maskSecrets(text: string): string {
  let masked = text.replace(
    URL_CREDENTIALS,
    (_, scheme: string, user: string) => `${scheme}${user}:${MASK}@`,
  );
  for (const secret of known) {
    if (masked.includes(secret)) masked = masked.split(secret).join(MASK);
  }
  return masked;
}

/** How to show an environment variable's value in an error: hidden when its name says it is secret. */
export function displayValue(name: string, value: string | undefined): string {
  if (value === undefined) return '""';
  if (SECRET_NAME.test(name)) return `"${MASK}" (hidden)`;
  return JSON.stringify(maskSecrets(value));
}

/** Masks every string inside a JSON-like value (log records, error details); bounded depth. */
export function maskDeep<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return maskSecrets(value) as T;
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  // Errors go through the logger's err serializer, which masks them itself.
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((item) => maskDeep(item, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_FIELD.test(key) && typeof item === 'string' ? MASK : maskDeep(item, depth + 1);
  }
  return out as T;
}
