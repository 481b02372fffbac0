import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { config } from '../../core/config.ts';
import { logger } from '../../core/logger.ts';
import { registerSecret } from '../../core/secrets.ts';

/**
 * Providers' secrets (private keys, the WeChat APIv3 key) are stored encrypted with AES-256-GCM
 * under PAYMENT_SECRETS_KEY. Without that variable (development, `npm start`) a key is made once
 * and kept in a file readable by its owner only; every API instance of a real installation must
 * share one key, so production sets the variable.
 */
let cached: Buffer | undefined;

export function developmentKeyPath(): string {
  const base = process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'trawl', 'payment-secrets.key');
}

function key(): Buffer {
  if (cached) return cached;
  const fromEnv = config().PAYMENT_SECRETS_KEY;
  if (fromEnv) {
    cached = Buffer.from(fromEnv, 'base64');
    return cached;
  }
  const path = developmentKeyPath();
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(path, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
    logger().warn(
      { path },
      'PAYMENT_SECRETS_KEY is not set: payment secrets are encrypted with a development key kept in a file',
    );
  }
  cached = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  if (cached.length !== 32) throw new Error(`${path} does not hold a 32-byte base64 key`);
  return cached;
}

const VERSION = 1;

/** version (1 byte) | IV (12) | tag (16) | ciphertext of the JSON. */
export function encryptSecrets(secrets: Record<string, string>): Uint8Array<ArrayBuffer> {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()]);
  const sealed = Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  return new Uint8Array(sealed);
}

/** The secrets in the clear; each is registered so that logs and errors mask it from now on. */
export function decryptSecrets(sealed: Uint8Array): Record<string, string> {
  const data = Buffer.from(sealed);
  if (data[0] !== VERSION) throw new Error('payment secrets were sealed with an unknown format');
  const decipher = createDecipheriv('aes-256-gcm', key(), data.subarray(1, 13));
  decipher.setAuthTag(data.subarray(13, 29));
  const secrets = JSON.parse(
    Buffer.concat([decipher.update(data.subarray(29)), decipher.final()]).toString('utf8'),
  ) as Record<string, string>;
  for (const value of Object.values(secrets)) {
    registerSecret(value);
    // PEM keys are also masked line by line, as they may be logged wrapped.
    for (const line of value.split('\n'))
      if (line.length >= 40 && !line.startsWith('-----')) registerSecret(line);
  }
  return secrets;
}

/** For tests that change PAYMENT_SECRETS_KEY. */
export function resetSecretsKey(): void {
  cached = undefined;
}
