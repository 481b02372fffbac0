import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { closeConnections } from '../test/connections.ts';
import { db } from './db/index.ts';
import { ValidationError } from './errors.ts';
import { CACHE_MS, currentSettings, defaultSettings, forgetSettings, updateSettings } from './settings.ts';

afterEach(async () => {
  await db().setting.deleteMany({});
  forgetSettings();
});
afterAll(closeConnections);

describe('settings', () => {
  it('are the environment’s values until the back office saves a group', async () => {
    expect(await currentSettings()).toEqual(defaultSettings());
  });

  it('validate a group as a whole and name the wrong fields', async () => {
    const error = await updateSettings(
      'orders',
      { paymentMinutes: 0, autoCompleteDays: 'x' },
      { userId: null },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path).sort()).toEqual([
      'orders.autoCompleteDays',
      'orders.paymentMinutes',
    ]);
    await expect(
      updateSettings('payments', { topUpMin: '100', topUpMax: '10' }, { userId: null }),
    ).rejects.toThrow(/smallest top-up/);
    await expect(updateSettings('shop', { name: 'x', extra: 1 }, { userId: null })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(updateSettings('shop', ['name'], { userId: null })).rejects.toBeInstanceOf(ValidationError);
    expect(await db().setting.count()).toBe(0);
  });

  it('keep the fields a change leaves out', async () => {
    await updateSettings('orders', { paymentMinutes: 45 }, { userId: null });
    const { orders } = await currentSettings();
    expect(orders).toEqual({
      paymentMinutes: 45,
      autoCompleteDays: defaultSettings().orders.autoCompleteDays,
    });
  });

  it('reach another process within the cache time (a write elsewhere, seen here)', async () => {
    expect((await currentSettings()).shop.name).toBe(defaultSettings().shop.name);
    // Another process writes straight to the table: this process's copy is stale until it expires.
    await db().setting.create({
      data: { key: 'shop', value: { name: 'Harbour Market', defaultCurrency: 'GBP', supportEmail: null } },
    });
    await new Promise((resolve) => setTimeout(resolve, CACHE_MS + 100));
    expect((await currentSettings()).shop).toMatchObject({ name: 'Harbour Market', defaultCurrency: 'GBP' });
  });

  it('fall back to the defaults for a stored group that no longer validates', async () => {
    await db().setting.create({ data: { key: 'orders', value: { paymentMinutes: -5 } } });
    expect((await currentSettings()).orders).toEqual(defaultSettings().orders);
  });
});
