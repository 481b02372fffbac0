import { describe, expect, it } from 'vitest';
import {
  assertPublicRedirect,
  assertPublicUrl,
  isPrivateAddress,
  publicOnlyLookup,
} from './network-guard.ts';

describe('network guard', () => {
  it('knows private, loopback, link-local and metadata addresses', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.5.4',
      '192.168.0.1',
      '169.254.169.254',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '100.64.0.1',
    ]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ['8.8.8.8', '1.1.1.1', '2606:4700::1111', '172.32.0.1']) {
      expect(isPrivateAddress(address), address).toBe(false);
    }
  });

  it('refuses URLs whose host is or resolves to a private address', async () => {
    await expect(assertPublicUrl('http://127.0.0.1:8080/')).rejects.toThrow(/private address/);
    await expect(assertPublicUrl('http://[::1]/')).rejects.toThrow(/private address/);
    await expect(assertPublicUrl('http://localhost/')).rejects.toThrow(/localhost resolves to/);
    await expect(assertPublicUrl('http://8.8.8.8/')).resolves.toBeUndefined();
  });

  it('fails DNS lookups that land on private addresses, as the HTTP client sees them', async () => {
    const result = await new Promise<{ error: Error | null }>((resolve) =>
      publicOnlyLookup('localhost', {}, (error) => resolve({ error })),
    );
    expect(result.error?.message).toMatch(/localhost resolves to .* private address/);
    expect(() => assertPublicRedirect(new URL('http://169.254.169.254/latest/meta-data'))).toThrow(/refused/);
    expect(() => assertPublicRedirect(new URL('http://93.184.216.34/'))).not.toThrow();
  });
});
