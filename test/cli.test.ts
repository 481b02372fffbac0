import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);

/** Runs the real CLI in a child process; resolves with its exit code and output. */
async function trawl(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await exec('node', ['--import', 'tsx', 'bin/trawl.ts', ...args], {
      env: { ...process.env, ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('trawl CLI', () => {
  it('prints usage and refuses unknown commands', async () => {
    expect((await trawl(['--help'])).stdout).toContain('trawl <command>');
    const unknown = await trawl(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
  });

  it('runs as the installed `trawl` command from any directory', async () => {
    const bin = join(process.cwd(), 'bin', 'trawl.mjs');
    const { stdout } = await exec(bin, ['--help'], { cwd: tmpdir(), timeout: 60_000 });
    expect(stdout).toContain('trawl <command>');
  });

  it('stops on a bad environment variable with one line naming it', async () => {
    const result = await trawl(['site', 'list'], { PORT: 'abc' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('PORT="abc" is invalid');
    expect(result.stderr).not.toContain('    at ');
  });

  it('adds a site from a file, lists it, and refuses an invalid file with the failing fields', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trawl-cli-'));
    const good = join(dir, 'good.json');
    const bad = join(dir, 'bad.json');
    await writeFile(good, JSON.stringify({ name: 'cli-shop', startUrls: ['https://cli.example/'] }));
    await writeFile(bad, JSON.stringify({ name: 'cli shop', startUrls: [] }));

    const added = await trawl(['site', 'add', good]);
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('site "cli-shop" saved');

    const listed = await trawl(['site', 'list']);
    expect(listed.stdout).toMatch(/cli-shop\s+https:\/\/cli\.example\//);

    const refused = await trawl(['site', 'add', bad]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is not a valid site definition');
    expect(refused.stderr).toMatch(/^\s+name: /m);
    expect(refused.stderr).toMatch(/^\s+startUrls: /m);

    const missing = await trawl(['site', 'add', join(dir, 'missing.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read');
  });
});
