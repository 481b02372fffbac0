import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetch } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  assertPublicLiteral,
  assertPublicUrl,
  guardedDispatcher,
  guardedLookup,
  isPrivateAddress,
  isPrivateNetworkError,
  mayBePrivate,
  publicOnlyLookup,
  setResolver,
} from './network-guard.ts';
import { rebindingResolver } from './test-dns.ts';

describe('isPrivateAddress', () => {
  it('knows private, loopback, link-local and metadata addresses', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.5.4',
      '192.168.0.1',
      '169.254.169.254',
      '0.0.0.0',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      '100.64.0.1',
    ]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
  });

  it('judges IPv4-mapped IPv6 by its IPv4 address, in dotted and hex form', () => {
    for (const address of [
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::FFFF:A9FE:A9FE',
      '0:0:0:0:0:ffff:10.0.0.1',
    ])
      expect(isPrivateAddress(address), address).toBe(true);
    for (const address of ['::ffff:8.8.8.8', '::ffff:808:808', '::ffff:5db8:d822'])
      expect(isPrivateAddress(address), address).toBe(false);
  });

  it('refuses forms that embed or reach another address', () => {
    for (const address of [
      '::7f00:1', // IPv4-compatible ::127.0.0.1
      '::127.0.0.1',
      '::a9fe:a9fe', // ::169.254.169.254
      '::808:808', // IPv4-compatible, even of a public address: deprecated, never legitimate
      '::ffff:0:7f00:1', // IPv4-translated (SIIT)
      '64:ff9b::7f00:1', // NAT64
      '64:ff9b::808:808',
      '64:ff9b:1::1',
      '2002:7f00:1::1', // 6to4 of 127.0.0.1
      '2002:808:808::1',
      '2001:0:4136:e378:8000:63bf:3fff:fdd2', // Teredo
      'fec0::1', // site-local
      'feff::1',
    ]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
  });

  it("refuses the rest of IANA's not-globally-reachable ranges", () => {
    for (const address of [
      '192.0.0.8',
      '192.0.2.1',
      '192.88.99.1',
      '198.18.0.1',
      '198.19.255.255',
      '198.51.100.7',
      '203.0.113.9',
      '224.0.0.1',
      '239.255.255.250',
      '240.0.0.1',
      '255.255.255.255',
      '100::1', // discard-only
      '100:0:0:1::1', // dummy prefix
      '2001:2::1', // benchmarking
      '2001:10::1', // ORCHID
      '2001:db8::1', // documentation
      '3fff::1', // documentation
      '5f00::1', // SRv6 SIDs
      'ff02::1', // multicast
    ]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
  });

  it('lets public addresses through', () => {
    for (const address of [
      '8.8.8.8',
      '1.1.1.1',
      '172.32.0.1',
      '100.128.0.1',
      '192.0.1.1',
      '223.255.255.255',
      '2606:4700::1111',
      '2a00:1450:4001::1',
      '2003::1',
    ]) {
      expect(isPrivateAddress(address), address).toBe(false);
    }
  });
});

describe('policies', () => {
  it('lets a site name its private hosts, never as IP literals', () => {
    const policy = { privateHosts: ['intranet.example', '10.0.0.5', '[::1]'] };
    expect(mayBePrivate('intranet.example', policy)).toBe(true);
    expect(mayBePrivate('INTRANET.example', policy)).toBe(true);
    expect(mayBePrivate('other.example', policy)).toBe(false);
    expect(mayBePrivate('10.0.0.5', policy)).toBe(false);
    expect(mayBePrivate('[::1]', policy)).toBe(false);
    expect(mayBePrivate('10.0.0.5', { allowPrivateNetwork: true })).toBe(true);
    expect(() => assertPublicLiteral(new URL('http://10.0.0.5/'), policy)).toThrow(/private address/);
    expect(() => assertPublicLiteral(new URL('http://[::ffff:7f00:1]/'))).toThrow(/private address/);
    expect(() => assertPublicLiteral(new URL('http://93.184.216.34/'))).not.toThrow();
    expect(() => assertPublicLiteral(new URL('http://intranet.example/'))).not.toThrow();
  });

  it('refuses URLs whose host is or resolves to a private address', async () => {
    await expect(assertPublicUrl('http://127.0.0.1:8080/')).rejects.toThrow(/private address/);
    await expect(assertPublicUrl('http://[::1]/')).rejects.toThrow(/private address/);
    await expect(assertPublicUrl('http://[::7f00:1]/')).rejects.toThrow(/private address/);
    await expect(assertPublicUrl('http://localhost/')).rejects.toThrow(/localhost resolves to/);
    await expect(assertPublicUrl('http://localhost/', new Set(['localhost']))).resolves.toBeUndefined();
    await expect(assertPublicUrl('http://8.8.8.8/')).resolves.toBeUndefined();
  });
});

describe('guardedLookup', () => {
  afterEach(() => setResolver());

  const lookup = (fn: typeof publicOnlyLookup, host: string, options: object) =>
    new Promise<{ error: Error | null; address: unknown }>((resolve) =>
      fn(host, options, (error, address) => resolve({ error, address })),
    );

  it('fails lookups that land on private addresses, as sockets see them', async () => {
    const result = await lookup(publicOnlyLookup, 'localhost', {});
    expect(result.error?.message).toMatch(/localhost resolves to .* private address/);
    expect(isPrivateNetworkError(result.error)).toBe(true);
  });

  it('refuses an answer with any private address, so no fallback can reach it', async () => {
    setResolver(async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '::ffff:7f00:1', family: 6 },
    ]);
    expect((await lookup(publicOnlyLookup, 'mixed.test', { all: true })).error).toBeTruthy();
  });

  it('answers in the shape asked for, filtered by family', async () => {
    setResolver(async () => [
      { address: '2606:4700::1111', family: 6 },
      { address: '93.184.216.34', family: 4 },
    ]);
    expect((await lookup(publicOnlyLookup, 'shop.test', {})).address).toBe('2606:4700::1111');
    expect((await lookup(publicOnlyLookup, 'shop.test', { family: 4 })).address).toBe('93.184.216.34');
    expect((await lookup(publicOnlyLookup, 'shop.test', { all: true })).address).toHaveLength(2);
    setResolver(async () => [{ address: '10.0.0.1', family: 4 }]);
    expect((await lookup(guardedLookup({ privateHosts: ['shop.test'] }), 'shop.test', {})).address).toBe(
      '10.0.0.1',
    );
  });
});

describe('guardedDispatcher: the connection checks the address it connects to', () => {
  let server: Server;
  let port = 0;
  const hits: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      if (req.url === '/to-literal')
        res.writeHead(302, { location: `http://127.0.0.1:${port}/secret` }).end();
      else if (req.url === '/to-name')
        res.writeHead(302, { location: `http://rebind.test:${port}/secret` }).end();
      else res.end('secret');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    setResolver();
    await new Promise((resolve) => server.close(resolve));
  });

  afterEach(() => {
    setResolver();
    hits.length = 0;
  });

  it('refuses a name that answered public to the check and 127.0.0.1 to the connection (DNS rebinding)', async () => {
    const dns = rebindingResolver('rebind.test');
    setResolver(dns.resolve);
    const url = `http://rebind.test:${port}/secret`;
    // A check-then-connect design asks first and is told a public address...
    await expect(assertPublicUrl(url)).resolves.toBeUndefined();
    // ...but the connection resolves again, gets 127.0.0.1, and its own lookup refuses it.
    const error = await fetch(url, { dispatcher: guardedDispatcher() }).catch((e: unknown) => e);
    expect(isPrivateNetworkError(error)).toBe(true);
    expect(String((error as Error).cause)).toMatch(/rebind\.test resolves to 127\.0\.0\.1/);
    expect(dns.calls()).toBe(2);
    expect(hits).toEqual([]);
  });

  it('refuses IP literals at connect time, redirect targets included', async () => {
    const error = await fetch(`http://[::ffff:7f00:1]:${port}/secret`, {
      dispatcher: guardedDispatcher(),
    }).catch((e: unknown) => e);
    expect(isPrivateNetworkError(error)).toBe(true);
    setResolver(async () => [{ address: '127.0.0.1', family: 4 }]);
    // shop.test is the site's private host: its redirect to a literal (or another name) is still refused.
    const policy = { privateHosts: ['shop.test'] };
    const viaLiteral = await fetch(`http://shop.test:${port}/to-literal`, {
      dispatcher: guardedDispatcher(policy),
    }).catch((e: unknown) => e);
    expect(isPrivateNetworkError(viaLiteral)).toBe(true);
    const viaName = await fetch(`http://shop.test:${port}/to-name`, {
      dispatcher: guardedDispatcher(policy),
    }).catch((e: unknown) => e);
    expect(isPrivateNetworkError(viaName)).toBe(true);
    expect(hits).toEqual(['/to-literal', '/to-name']);
  });

  it("lets the site's private hosts and allowPrivateNetwork through", async () => {
    setResolver(async () => [{ address: '127.0.0.1', family: 4 }]);
    const named = await fetch(`http://shop.test:${port}/secret`, {
      dispatcher: guardedDispatcher({ privateHosts: ['shop.test'] }),
    });
    expect(await named.text()).toBe('secret');
    const open = await fetch(`http://127.0.0.1:${port}/secret`, {
      dispatcher: guardedDispatcher({ allowPrivateNetwork: true }),
    });
    expect(await open.text()).toBe('secret');
  });
});
