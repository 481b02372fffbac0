import { afterAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../core/actor.ts';
import { resetConfig } from '../../core/config.ts';
import { db } from '../../core/db/index.ts';
import {
  ConflictError,
  ForbiddenError,
  RateLimitedError,
  UnauthenticatedError,
  ValidationError,
} from '../../core/errors.ts';
import { closeConnections } from '../../test/connections.ts';
import {
  addAddress,
  authenticateSession,
  authenticateToken,
  changePassword,
  createRole,
  createToken,
  deleteAddress,
  deleteRole,
  getRole,
  insertUser,
  LOGIN_LIMITS,
  listAddresses,
  permissionsOfRole,
  register,
  revokeToken,
  setRolePermissions,
  signIn,
  updateAddress,
  updateUser,
} from './index.ts';

afterAll(closeConnections);

let counter = 0;
const unique = (label: string) => `${label}-${Date.now().toString(36)}-${counter++}@accounts.test`;
const client = (ip = '203.0.113.7') => ({ ip, userAgent: 'vitest' });
const address = {
  recipient: 'Li Wei',
  phone: '+86 138 0000 0000',
  line1: '88 Nanjing Road',
  city: 'Shanghai',
  country: 'cn',
};

describe('registration and sign-in', () => {
  it('normalises emails: another case or full-width letters are the same account', async () => {
    const email = unique('Mixed.Case');
    const first = await register(
      { email: `  ${email.toUpperCase()} `, password: 'correct horse battery' },
      client(),
    );
    expect(first.user.email).toBe(email.toLowerCase());
    expect(first.user.role).toBe('shopper');
    const fullWidth = email.toLowerCase().replace('m', 'ｍ');
    await expect(
      register({ email: fullWidth, password: 'correct horse battery' }, client('203.0.113.8')),
    ).rejects.toBeInstanceOf(ConflictError);
    // A role cannot be asked for at registration.
    await expect(
      register({ email: unique('sneaky'), password: 'correct horse battery', role: 'admin' }, client()),
    ).rejects.toThrow(/role|Unrecognized/);
  });

  it('stores argon2id hashes at the installation’s default cost, never the password', async () => {
    // The suite hashes at the lowest cost (vitest.config.ts); this one at what an install gets.
    const suite = { memory: process.env.ARGON2_MEMORY_KIB, time: process.env.ARGON2_TIME_COST };
    delete process.env.ARGON2_MEMORY_KIB;
    delete process.env.ARGON2_TIME_COST;
    resetConfig();
    try {
      const email = unique('hash');
      await insertUser({ email, password: 'correct horse battery', role: 'shopper' });
      const row = await db().user.findUniqueOrThrow({ where: { email } });
      expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=65536,t=3,p=1\$/);
      expect(row.passwordHash).not.toContain('correct horse');
    } finally {
      if (suite.memory !== undefined) process.env.ARGON2_MEMORY_KIB = suite.memory;
      if (suite.time !== undefined) process.env.ARGON2_TIME_COST = suite.time;
      resetConfig();
    }
  });

  it('refuses weak passwords and the email as password', async () => {
    await expect(register({ email: unique('weak'), password: 'short' }, client())).rejects.toThrow(
      /at least 10/,
    );
    const email = unique('same');
    await expect(register({ email, password: email }, client())).rejects.toThrow(/must not be the email/);
  });

  it('answers a wrong password and an unknown email the same way', async () => {
    const email = unique('known');
    await insertUser({ email, password: 'correct horse battery', role: 'shopper' });
    const wrong = await signIn({ email, password: 'wrong password!' }, client('203.0.113.20')).catch(
      (e) => e,
    );
    const unknown = await signIn(
      { email: unique('nobody'), password: 'wrong password!' },
      client('203.0.113.20'),
    ).catch((e) => e);
    expect(wrong).toBeInstanceOf(UnauthenticatedError);
    expect(unknown).toBeInstanceOf(UnauthenticatedError);
    expect(wrong.message).toBe(unknown.message);
  });

  it('locks an account and address pair after consecutive failures, even for the right password', async () => {
    const email = unique('locked');
    await insertUser({ email, password: 'correct horse battery', role: 'shopper' });
    const ip = '198.51.100.1';
    let lockout: unknown;
    for (let i = 0; i < LOGIN_LIMITS.perAccountAndIp; i++) {
      lockout = await signIn({ email, password: `wrong ${i} password` }, client(ip)).catch((e) => e);
    }
    expect(lockout).toBeInstanceOf(RateLimitedError);
    const right = await signIn({ email, password: 'correct horse battery' }, client(ip)).catch((e) => e);
    expect(right).toBeInstanceOf(RateLimitedError);
    expect((right as RateLimitedError).message).toMatch(/Try again in \d+ minutes/);
    expect((right as RateLimitedError).retryAfterSeconds).toBeGreaterThan(3000);
    // The same account from elsewhere is not blocked by this pair's count.
    await expect(
      signIn({ email, password: 'correct horse battery' }, client('198.51.100.2')),
    ).resolves.toBeTruthy();
  });

  it('locks the account itself after failures spread over many addresses', async () => {
    const email = unique('spread');
    await insertUser({ email, password: 'correct horse battery', role: 'shopper' });
    for (let i = 0; i < LOGIN_LIMITS.perAccountPerHour; i++) {
      await signIn({ email, password: 'wrong password!' }, client(`192.0.2.${i + 1}`)).catch(() => {});
    }
    const locked = await signIn({ email, password: 'correct horse battery' }, client('192.0.2.200')).catch(
      (e) => e,
    );
    expect(locked).toBeInstanceOf(RateLimitedError);
    expect(locked.message).toContain('This account is locked for 15 minutes');
  });

  it('refuses a disabled account and ends its sessions', async () => {
    const email = unique('disabled');
    const user = await insertUser({ email, password: 'correct horse battery', role: 'shopper' });
    const { token } = await signIn({ email, password: 'correct horse battery' }, client('203.0.113.30'));
    expect(await authenticateSession(token)).not.toBeNull();
    await updateUser(user.id, { status: 'disabled' });
    expect(await authenticateSession(token)).toBeNull();
    await expect(
      signIn({ email, password: 'correct horse battery' }, client('203.0.113.30')),
    ).rejects.toThrow(/disabled/);
  });
});

describe('sessions and passwords', () => {
  it('changing the password ends every other session and keeps this one', async () => {
    const email = unique('changer');
    const user = await insertUser({ email, password: 'correct horse battery', role: 'shopper' });
    const here = await signIn({ email, password: 'correct horse battery' }, client('203.0.113.40'));
    const phone = await signIn({ email, password: 'correct horse battery' }, client('203.0.113.41'));
    await expect(
      changePassword(
        user,
        { currentPassword: 'not it at all', newPassword: 'a brand new secret' },
        client('203.0.113.40'),
        here.session.id,
      ),
    ).rejects.toBeInstanceOf(ForbiddenError);
    const { otherSessionsEnded } = await changePassword(
      user,
      { currentPassword: 'correct horse battery', newPassword: 'a brand new secret' },
      client('203.0.113.40'),
      here.session.id,
    );
    expect(otherSessionsEnded).toBe(1);
    expect(await authenticateSession(here.token)).not.toBeNull();
    expect(await authenticateSession(phone.token)).toBeNull();
    await expect(
      signIn({ email, password: 'correct horse battery' }, client('203.0.113.42')),
    ).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(
      signIn({ email, password: 'a brand new secret' }, client('203.0.113.42')),
    ).resolves.toBeTruthy();
  });

  it('never accepts a session token that was not issued', async () => {
    expect(await authenticateSession('')).toBeNull();
    expect(await authenticateSession('x'.repeat(43))).toBeNull();
    expect(await authenticateSession('x'.repeat(10_000))).toBeNull();
  });
});

describe('API tokens', () => {
  it('are scoped, never exceed the role, expire and can be revoked', async () => {
    const user = await insertUser({
      email: unique('tokens'),
      password: 'correct horse battery',
      role: 'operator',
    });
    const permissions = new Set(await permissionsOfRole('operator'));
    await expect(
      createToken({ id: user.id, permissions }, { name: 'too much', scopes: ['users:manage'] }),
    ).rejects.toMatchObject({
      permission: 'users:manage',
    });
    const { token, record } = await createToken(
      { id: user.id, permissions },
      { name: 'read only', scopes: ['sites:read'] },
    );
    expect(token).toMatch(/^trawl_pat_[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(await db().apiToken.findUniqueOrThrow({ where: { id: record.id } }))).not.toContain(
      token,
    );
    const principal = await authenticateToken(token);
    expect([...principal!.permissions]).toEqual(['sites:read']);

    // The role loses sites:read: so does the token, at once.
    await createRole({
      name: 'reader-test',
      description: 'reads sites',
      permissions: ['sites:read', 'account:manage'],
    });
    await updateUser(user.id, { role: 'reader-test' });
    await setRolePermissions('reader-test', { permissions: ['account:manage'] });
    expect([...(await authenticateToken(token))!.permissions]).toEqual([]);

    await revokeToken(user.id, record.id);
    expect(await authenticateToken(token)).toBeNull();

    const { token: old, record: oldRecord } = await createToken(
      { id: user.id, permissions },
      { name: 'old', scopes: ['sites:read'] },
    );
    await db().apiToken.update({
      where: { id: oldRecord.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(await authenticateToken(old)).toBeNull();
    expect(await authenticateToken('trawl_pat_forged')).toBeNull();
  });
});

describe('credentials verified at the same moment', () => {
  it('are looked up together, each answered with its own user, and the bad ones refused', async () => {
    const operator = await insertUser({
      email: unique('batch-op'),
      password: 'correct horse battery',
      role: 'operator',
    });
    const shopper = await insertUser({
      email: unique('batch-shop'),
      password: 'correct horse battery',
      role: 'shopper',
    });
    const operatorPermissions = new Set(await permissionsOfRole('operator'));
    const shopperPermissions = new Set(await permissionsOfRole('shopper'));
    const tokens = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        i % 2 === 0
          ? createToken(
              { id: operator.id, permissions: operatorPermissions },
              { name: `op ${i}`, scopes: ['sites:read'] },
            )
          : createToken({ id: shopper.id, permissions: shopperPermissions }, { name: `shop ${i}` }),
      ),
    );
    await revokeToken(shopper.id, tokens[1]!.record.id);
    await db().apiToken.update({
      where: { id: tokens[2]!.record.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const sessions = [
      await signIn({ email: operator.email, password: 'correct horse battery' }, client('203.0.113.70')),
      await signIn({ email: shopper.email, password: 'correct horse battery' }, client('203.0.113.71')),
    ];

    // All in the same moment: one batch for the tokens, one for the sessions.
    const [fromTokens, fromSessions, forged] = await Promise.all([
      Promise.all(tokens.map((t) => authenticateToken(t.token))),
      Promise.all([
        ...sessions.map((s) => authenticateSession(s.token)),
        authenticateSession('no such session'),
      ]),
      authenticateToken('trawl_pat_forged'),
    ]);
    expect(forged).toBeNull();
    expect(fromTokens[1]).toBeNull(); // revoked
    expect(fromTokens[2]).toBeNull(); // expired
    for (const [i, principal] of fromTokens.entries()) {
      if (i === 1 || i === 2) continue;
      expect(principal?.userId).toBe(i % 2 === 0 ? operator.id : shopper.id);
      expect([...principal!.permissions].sort()).toEqual(
        i % 2 === 0 ? ['sites:read'] : [...shopperPermissions].sort(),
      );
    }
    expect(fromSessions.map((p) => p?.userId ?? null)).toEqual([operator.id, shopper.id, null]);
    expect([...fromSessions[0]!.permissions].sort()).toEqual([...operatorPermissions].sort());
    // Each valid token's last use was written by the batch.
    const used = await db().apiToken.findMany({
      where: { id: { in: tokens.map((t) => t.record.id) } },
      select: { id: true, lastUsedAt: true },
    });
    const usedIds = used.filter((t) => t.lastUsedAt).map((t) => t.id);
    expect(usedIds.sort()).toEqual(
      tokens
        .filter((_, i) => i !== 1 && i !== 2)
        .map((t) => t.record.id)
        .sort(),
    );
  });
});

describe('roles and the permission matrix', () => {
  it('keeps admin whole, custom roles deletable only when unused, and at least one active admin', async () => {
    await expect(setRolePermissions('admin', { permissions: [] })).rejects.toBeInstanceOf(ValidationError);
    expect((await getRole('admin')).permissions).toContain('roles:manage');
    await expect(setRolePermissions('operator', { permissions: ['no:such'] })).rejects.toThrow();
    await expect(deleteRole('shopper')).rejects.toThrow(/built-in/);

    await createRole({ name: 'support-test', description: 'helps shoppers', permissions: ['orders:read'] });
    const helper = await insertUser({
      email: unique('support'),
      password: 'correct horse battery',
      role: 'support-test',
    });
    await expect(deleteRole('support-test')).rejects.toThrow(/hold the role/);
    await updateUser(helper.id, { role: 'shopper' });
    await deleteRole('support-test');

    // Demote every admin but one, then try the last.
    const admins = await db().user.findMany({ where: { roleName: 'admin', status: 'active' } });
    for (const other of admins) await updateUser(other.id, { role: 'operator' }).catch(() => {});
    const last = await db().user.findFirst({ where: { roleName: 'admin', status: 'active' } });
    const only =
      last ??
      (await insertUser({ email: unique('admin'), password: 'correct horse battery', role: 'admin' }));
    const remaining = await db().user.count({ where: { roleName: 'admin', status: 'active' } });
    if (remaining === 1) {
      await expect(updateUser(only.id, { role: 'operator' })).rejects.toThrow(/last active admin/);
      await expect(updateUser(only.id, { status: 'disabled' })).rejects.toThrow(/last active admin/);
    }
    expect(systemActor.can('anything')).toBe(true);
  });
});

describe('address book', () => {
  it('keeps exactly one default, moves it when the default goes, and caps the book', async () => {
    const user = await insertUser({
      email: unique('addresses'),
      password: 'correct horse battery',
      role: 'shopper',
    });
    const first = await addAddress(user.id, address);
    expect(first.isDefault).toBe(true);
    expect(first.country).toBe('CN');
    const second = await addAddress(user.id, { ...address, line1: '1 Bund', isDefault: true });
    let book = await listAddresses(user.id);
    expect(book.filter((a) => a.isDefault).map((a) => a.id)).toEqual([second.id]);
    await updateAddress(user.id, first.id, { isDefault: true });
    book = await listAddresses(user.id);
    expect(book[0]!.id).toBe(first.id);
    expect(book.filter((a) => a.isDefault)).toHaveLength(1);
    await deleteAddress(user.id, first.id);
    book = await listAddresses(user.id);
    expect(book.map((a) => [a.id, a.isDefault])).toEqual([[second.id, true]]);
    await expect(addAddress(user.id, { ...address, country: 'China' })).rejects.toThrow(/ISO 3166/);
    for (let i = book.length; i < 20; i++) await addAddress(user.id, { ...address, line1: `${i} Road` });
    await expect(addAddress(user.id, address)).rejects.toThrow(/at most 20/);
    // Another user cannot touch these.
    const other = await insertUser({
      email: unique('other'),
      password: 'correct horse battery',
      role: 'shopper',
    });
    await expect(deleteAddress(other.id, second.id)).rejects.toThrow(/no such address/);
  });
});
