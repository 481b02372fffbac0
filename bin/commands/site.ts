import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { fieldErrors } from '../../api/errors.ts';
import { getSite, listSites, putSite } from '../../catalog/index.ts';

/** `trawl site add FILE`: validates a JSON site definition and creates or replaces the site. */
export async function siteAdd(file: string): Promise<number> {
  let input: unknown;
  try {
    input = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    process.stderr.write(`trawl: cannot read ${file}: ${(error as Error).message}\n`);
    return 2;
  }
  try {
    const site = await putSite(input);
    process.stdout.write(`site "${site.name}" saved (${site.rules.startUrls.length} start URLs)\n`);
    return 0;
  } catch (error) {
    if (error instanceof z.ZodError) {
      process.stderr.write(`trawl: ${file} is not a valid site definition:\n`);
      for (const issue of fieldErrors(error)) process.stderr.write(`  ${issue.path}: ${issue.message}\n`);
      return 2;
    }
    throw error;
  }
}

export async function siteList(json: boolean): Promise<number> {
  const sites = await listSites();
  if (json) {
    process.stdout.write(`${JSON.stringify(sites, null, 2)}\n`);
    return 0;
  }
  if (sites.length === 0) {
    process.stdout.write('no sites yet: add one with `trawl site add FILE`\n');
    return 0;
  }
  const width = Math.max(4, ...sites.map((s) => s.name.length));
  process.stdout.write(`${'NAME'.padEnd(width)}  START URL\n`);
  for (const site of sites) process.stdout.write(`${site.name.padEnd(width)}  ${site.rules.startUrls[0]}\n`);
  return 0;
}

export async function siteShow(name: string): Promise<number> {
  const site = await getSite(name);
  if (!site) {
    process.stderr.write(`trawl: no site "${name}"\n`);
    return 1;
  }
  process.stdout.write(`${JSON.stringify(site.rules, null, 2)}\n`);
  return 0;
}
