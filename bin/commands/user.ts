import {
  accountSchemas,
  builtInRoles,
  createStaffUser,
  findUserByEmail,
  generatePassword,
  listUsers,
  resetPassword,
  syncPermissions,
} from '../../commerce/accounts/index.ts';
import { CliError } from '../api-client.ts';

/**
 * Account commands run on the server itself, against the database (DATABASE_URL): how the
 * installation's owner makes the first admin, and recovers when every admin is locked out.
 */
export async function userCreate(options: { email?: string; role?: string; name?: string }): Promise<number> {
  if (!options.email || !options.role)
    throw new CliError(
      `usage: trawl user create --email EMAIL --role ROLE (roles: ${builtInRoles.join(', ')}, or a custom one)`,
      2,
    );
  await syncPermissions();
  const { user, password } = await createStaffUser({
    email: options.email,
    role: options.role,
    ...(options.name ? { name: options.name } : {}),
  });
  process.stdout.write(`created ${user.role} ${user.email}\npassword (shown once): ${password}\n`);
  return 0;
}

export async function userPassword(options: { email?: string }): Promise<number> {
  if (!options.email) throw new CliError('usage: trawl user passwd --email EMAIL', 2);
  const user = await findUserByEmail(accountSchemas.normaliseEmail(options.email));
  if (!user) throw new CliError(`no account with the email ${options.email}`);
  const password = generatePassword();
  await resetPassword(user.id, password);
  process.stdout.write(
    `new password for ${user.email} (shown once): ${password}\nevery session of the account was signed out\n`,
  );
  return 0;
}

export async function userList(options: { role?: string; json: boolean }): Promise<number> {
  const { items, total } = await listUsers({
    ...(options.role ? { role: options.role } : {}),
    pageSize: 200,
  });
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ items, total }, null, 2)}\n`);
    return 0;
  }
  const width = Math.max(5, ...items.map((u) => u.email.length));
  process.stdout.write(`${'EMAIL'.padEnd(width)}  ROLE      STATUS\n`);
  for (const user of items)
    process.stdout.write(`${user.email.padEnd(width)}  ${user.role.padEnd(8)}  ${user.status}\n`);
  if (total > items.length) process.stdout.write(`… and ${total - items.length} more\n`);
  return 0;
}
