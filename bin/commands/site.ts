import { readFile } from 'node:fs/promises';
import type { SiteRules } from '../../core/site.ts';
import { apiFromEnvironment, CliError } from '../api-client.ts';

interface SiteJson {
  id: string;
  name: string;
  rules: SiteRules;
  ownerId: string | null;
}

/**
 * `trawl site add FILE`: validates a JSON site definition through the API and creates the site,
 * or replaces its rules when it exists. The API checks the caller's permissions for every field.
 */
export async function siteAdd(file: string): Promise<number> {
  let input: unknown;
  try {
    input = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`, 2);
  }
  const api = await apiFromEnvironment();
  const name = (input as { name?: unknown })?.name;
  try {
    let site: SiteJson;
    try {
      site = await api.request<SiteJson>('POST', '/sites', input);
    } catch (error) {
      // The site exists: replace its rules.
      if (!(error instanceof CliError) || !/exists already/.test(error.message) || typeof name !== 'string')
        throw error;
      const { name: _same, ...rest } = input as Record<string, unknown>;
      site = await api.request<SiteJson>('PATCH', `/sites/${encodeURIComponent(name)}`, rest);
    }
    process.stdout.write(`site "${site.name}" saved (${site.rules.startUrls.length} start URLs)\n`);
    return 0;
  } catch (error) {
    if (error instanceof CliError && error.exitCode === 2)
      throw new CliError(`${file} is not a valid site definition: ${error.message}`, 2, error.details);
    throw error;
  }
}

export async function siteList(json: boolean): Promise<number> {
  const { items } = await (await apiFromEnvironment()).request<{ items: SiteJson[] }>('GET', '/sites');
  if (json) {
    process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
    return 0;
  }
  if (items.length === 0) {
    process.stdout.write('no sites yet: add one with `trawl site add FILE`\n');
    return 0;
  }
  const width = Math.max(4, ...items.map((s) => s.name.length));
  process.stdout.write(`${'NAME'.padEnd(width)}  START URL\n`);
  for (const site of items) process.stdout.write(`${site.name.padEnd(width)}  ${site.rules.startUrls[0]}\n`);
  return 0;
}

export async function siteShow(name: string): Promise<number> {
  const site = await (await apiFromEnvironment()).request<SiteJson>(
    'GET',
    `/sites/${encodeURIComponent(name)}`,
  );
  process.stdout.write(`${JSON.stringify(site.rules, null, 2)}\n`);
  return 0;
}
