import { randomFillSync } from 'node:crypto';
import type { Context } from 'hono';

const NONCE_BYTES = 16;
/** Random bytes for 256 nonces at a time: one call to the system's generator instead of 256. */
const pool = Buffer.alloc(NONCE_BYTES * 256);
let offset = pool.length;

/** 128 bits from the CSPRNG, base64: each nonce is made of bytes no other nonce used. */
export function newNonce(): string {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const nonce = pool.toString('base64', offset, offset + NONCE_BYTES);
  offset += NONCE_BYTES;
  return nonce;
}

/**
 * The CSP script-src source for this response, as hono/secure-headers' NONCE makes it (and under
 * the same context key, which pages read), with the nonce from `newNonce`.
 */
export function nonceSource(c: Context): string {
  let nonce = c.get('secureHeadersNonce') as string | undefined;
  if (nonce === undefined) {
    nonce = newNonce();
    c.set('secureHeadersNonce', nonce);
  }
  return `'nonce-${nonce}'`;
}
