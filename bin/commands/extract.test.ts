import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { extractCommand } from './extract.ts';

const page = `<html lang="es-CL"><body><h1>Sofá Lino</h1>
  <div><span class="price">$319.990</span><span>Precio con Tarjeta</span></div>
  <div><small>Internet:</small><span class="price">$349.990</span></div>
  <table><tr><th>SKU</th><td>579612999</td></tr></table><button>Agregar a la bolsa</button></body></html>`;

function run(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  return extractCommand(args).then((code) => ({ code, out }));
}

describe('trawl extract --explain', () => {
  afterEach(() => vi.restoreAllMocks());
  const file = join(mkdtempSync(join(tmpdir(), 'trawl-extract-')), 'sofa.html');
  writeFileSync(file, page);

  it('prints each field with its candidates and why the winner won', async () => {
    const { code, out } = await run([
      file,
      '--url',
      'https://tienda.example/sofa-579612999.html',
      '--explain',
    ]);
    expect(code).toBe(0);
    expect(out).toMatch(/price 349990 CLP {2}sku 579612999/);
    expect(out).toMatch(/^price: \$349\.990 {2}← heuristics/m);
    expect(out).toMatch(/member price/);
    expect(out).toMatch(/^currency: CLP {2}← locale/m);
  });

  it('puts the explanation in the JSON with --format json, and leaves it out without --explain', async () => {
    const url = 'https://tienda.example/sofa-579612999.html';
    const explained = JSON.parse((await run([file, '--url', url, '--explain', '--format', 'json'])).out);
    expect(explained.explanation.fields.price.value).toBe('$349.990');
    vi.restoreAllMocks();
    const plain = JSON.parse((await run([file, '--url', url])).out);
    expect(plain.explanation).toBeUndefined();
    expect(plain.normalised.price).toBe('349990');
  });
});
