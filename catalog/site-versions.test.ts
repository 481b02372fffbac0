import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { db } from '../core/db/index.ts';
import { ForbiddenError } from '../core/errors.ts';
import { forgetSettings, updateSettings } from '../core/settings.ts';
import { userWithRole } from '../test/accounts.ts';
import { closeConnections } from '../test/connections.ts';
import {
  createSite,
  getSite,
  listSiteVersions,
  putSite,
  replaceSiteRules,
  rollbackSite,
  updateSite,
} from './sites.ts';

afterAll(closeConnections);

const fresh = () => `versioned-${randomUUID().slice(0, 8)}`;

describe('site rule versions', () => {
  it('records every change as a new version with its author, and none for a save that changes nothing', async () => {
    const operator = await userWithRole('operator');
    const name = fresh();
    await createSite({ name, startUrls: [`https://${name}.example/`] }, operator);
    await updateSite(name, { maxPages: 500 }, operator, 'smaller budget');
    await updateSite(name, { maxPages: 500 }, operator);
    await putSite({ name, startUrls: [`https://${name}.example/`], maxPages: 800 });

    const versions = await listSiteVersions(name);
    expect(versions.map((v) => v.version)).toEqual([3, 2, 1]);
    expect(versions.map((v) => (v.rules as { maxPages: number }).maxPages)).toEqual([800, 500, 10_000]);
    expect(versions[1]).toMatchObject({ note: 'smaller budget', authorEmail: operator.email });
    expect(versions[0]!.authorId).toBeNull(); // the installation itself (the CLI)
  });

  it('rolls back to an old version as a new version', async () => {
    const operator = await userWithRole('operator');
    const name = fresh();
    await createSite({ name, startUrls: [`https://${name}.example/`], maxPages: 100 }, operator);
    await updateSite(name, { maxPages: 200 }, operator);
    const rolled = await rollbackSite(name, 1, operator);
    expect(rolled.rules.maxPages).toBe(100);
    const versions = await listSiteVersions(name);
    expect(versions[0]).toMatchObject({ version: 3, note: 'rolled back to version 1' });
  });

  it('checks a rollback against today’s policy: an old privilege does not come back', async () => {
    const admin = await userWithRole('admin');
    const operator = await userWithRole('operator');
    const name = fresh();
    await createSite({ name, startUrls: [`https://${name}.example/`], allowPrivateNetwork: true }, admin);
    await updateSite(name, { allowPrivateNetwork: false }, admin);
    await expect(rollbackSite(name, 1, operator)).rejects.toBeInstanceOf(ForbiddenError);
    expect((await getSite(name))!.rules.allowPrivateNetwork).toBe(false);
  });

  it('replaces rules as a whole, refusing a rename and invalid rules without saving anything', async () => {
    const operator = await userWithRole('operator');
    const name = fresh();
    await createSite({ name, startUrls: [`https://${name}.example/`] }, operator);
    await expect(
      replaceSiteRules(name, { name: `${name}-x`, startUrls: ['https://x.example/'] }, operator),
    ).rejects.toBeInstanceOf(z.ZodError);
    await expect(replaceSiteRules(name, { name, startUrls: ['notaurl'] }, operator)).rejects.toBeInstanceOf(
      z.ZodError,
    );
    expect(await listSiteVersions(name)).toHaveLength(1);
  });

  it('orders concurrent saves: ten at once make ten distinct versions', async () => {
    const name = fresh();
    await createSite({ name, startUrls: [`https://${name}.example/`] });
    await Promise.all(Array.from({ length: 10 }, (_, i) => updateSite(name, { maxPages: 1000 + i })));
    const versions = await listSiteVersions(name);
    expect(versions.map((v) => v.version)).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
  });
});

describe('crawl settings', () => {
  it('apply to the next site created and to the politeness floors, with no restart', async () => {
    const operator = await userWithRole('operator');
    try {
      await updateSettings('crawl', { defaultMaxConcurrency: 3, floorMinDelayMs: 2000 }, { userId: null });
      const name = fresh();
      const site = await createSite(
        { name, startUrls: [`https://${name}.example/`], politeness: { minDelayMs: 2500 } },
        operator,
      );
      expect(site.rules.maxConcurrency).toBe(3);
      // The floor applies to new sites too: the default delay is now below it.
      await expect(
        createSite({ name: fresh(), startUrls: ['https://floor.example/'] }, operator),
      ).rejects.toBeInstanceOf(ForbiddenError);
      await expect(updateSite(name, { politeness: { minDelayMs: 1000 } }, operator)).rejects.toBeInstanceOf(
        ForbiddenError,
      );
    } finally {
      await db().setting.deleteMany({ where: { key: 'crawl' } });
      forgetSettings();
    }
  });
});
