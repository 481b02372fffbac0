import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);

/**
 * The container image, as far as this machine can check it (it has no Docker engine to build
 * one): the Dockerfile's contract, and browser rendering by an unprivileged user as in the image.
 * That every run-time import is a production dependency is checked in architecture.test.ts.
 */
describe('container image', () => {
  const dockerfile = readFileSync('Dockerfile', 'utf8');
  const instructions = dockerfile
    .split('\n')
    .filter((line) => /^[A-Z]+\s/.test(line))
    .map((line) => line.split(/\s+/)[0]);

  it('runs as a non-root user from before dependencies are installed to the entry point', () => {
    const user = /^USER\s+(\S+)/m.exec(dockerfile)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    const lastUser = instructions.lastIndexOf('USER');
    expect(lastUser).toBeLessThan(instructions.indexOf('ENTRYPOINT'));
    expect(dockerfile.indexOf('USER ')).toBeLessThan(dockerfile.indexOf('npm ci'));
  });

  it('installs Chromium and production dependencies only, and starts through tsx (a dependency)', () => {
    expect(dockerfile).toMatch(/apt-get install[^\n]*\bchromium\b/);
    expect(dockerfile).toMatch(/NODE_ENV=production/);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies).toHaveProperty('tsx');
    expect(pkg.dependencies).toHaveProperty('playwright-core');
    expect(pkg.dependencies).toHaveProperty('prisma');
  });

  describe('browser rendering by an unprivileged user', () => {
    let server: Server;
    let url: string;
    beforeAll(async () => {
      server = createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' }).end(
          `<html><head><title>Kettle</title></head><body><div id="app"></div>
          <script>document.getElementById('app').className = 'rendered-by-js';</script></body></html>`,
        );
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('renders a page with JavaScript as user nobody', async () => {
      const command = ['node', '--import', 'tsx', 'scripts/render-smoke.ts', url];
      // As root (CI), drop to nobody like the image's USER does; otherwise run as whoever we are.
      const asRoot = process.getuid?.() === 0;
      const [file, ...args] = asRoot
        ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--', ...command]
        : command;
      const { stdout } = await exec(file!, args, {
        env: { ...process.env, HOME: '/tmp', TSX_TSCONFIG_PATH: 'tsconfig.json' },
        timeout: 60_000,
      });
      expect(JSON.parse(stdout.trim())).toEqual({ status: 200, title: 'Kettle', jsRan: true });
      if (asRoot) {
        const { stdout: who } = await exec('setpriv', [
          '--reuid=65534',
          '--regid=65534',
          '--clear-groups',
          '--',
          'id',
          '-u',
        ]);
        expect(who.trim()).toBe('65534');
      }
    });
  });
});
