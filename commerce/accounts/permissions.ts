import { z } from 'zod';

/**
 * Every permission the code checks, with what it allows. The role → permission matrix is data
 * (table role_permission, edited by admins); this list is what may appear in it, and
 * `defaultGrants` is what a fresh install (or a newly added permission) starts with.
 */
export const permissionCatalog = {
  'account:manage': 'Manage one’s own profile, password, addresses, sessions and API tokens',
  'orders:place': 'Keep a cart, place and pay orders, see one’s own orders',
  'sites:read': 'Read every site’s crawl rules',
  'sites:read:own': 'Read the crawl rules of the shops one owns',
  'sites:write': 'Create and change sites’ crawl rules',
  'sites:assign': 'Choose which merchant owns a site',
  'crawls:read': 'See every crawl run',
  'crawls:read:own': 'See the crawl runs of the shops one owns',
  'crawls:run': 'Start, pause, resume and cancel crawls',
  'rules:preview': 'Try extraction rules on a page (fetches public URLs)',
  'plugins:use': 'Name extractor plugins (from the installation’s allow-list) in rules and previews',
  'network:private': 'Let a site crawl private or loopback addresses (allowPrivateNetwork, privateHosts)',
  'politeness:override': 'Set crawl politeness below the installation’s floors, or ignore robots.txt',
  'products:manage': 'Hide, override and create any listing',
  'products:manage:own': 'Hide, override and create the listings of one’s own shops',
  'orders:read': 'See every order',
  'orders:read:own': 'See the orders of one’s own shops',
  'orders:ship': 'Ship, cancel and refund orders one may see',
  'shipping:manage': 'Manage one’s own shipping methods and delivery settings (merchants)',
  'payments:configure': 'Configure payment methods and provider keys',
  'promotions:manage': 'Create and run promotions and coupons, member tiers and points rules',
  'reviews:moderate': 'Hide and restore any review',
  'reviews:reply': 'Reply to reviews of one’s own shops’ listings (once each)',
  'reports:view': 'See sales, order, member and crawl reports',
  'settings:manage': 'Change the installation’s settings',
  'users:manage': 'Create staff accounts, change users’ roles and status, sign users out',
  'roles:manage': 'Edit roles and the role → permission matrix',
  'metrics:read': 'Read Prometheus metrics',
  'queues:manage': 'Inspect and retry background jobs',
} as const;

export type Permission = keyof typeof permissionCatalog;
export const allPermissions = Object.keys(permissionCatalog) as Permission[];
export const permissionSchema = z.enum(allPermissions as [Permission, ...Permission[]]);

export const builtInRoles = ['shopper', 'merchant', 'operator', 'admin'] as const;
export type BuiltInRole = (typeof builtInRoles)[number];

/** The role that always holds every permission: it cannot lock itself out. */
export const ADMIN_ROLE = 'admin';

export const defaultGrants: Record<Exclude<BuiltInRole, 'admin'>, readonly Permission[]> = {
  shopper: ['account:manage', 'orders:place'],
  merchant: [
    'account:manage',
    'sites:read:own',
    'crawls:read:own',
    'products:manage:own',
    'orders:read:own',
    'orders:ship',
    'shipping:manage',
    'reviews:reply',
  ],
  operator: [
    'account:manage',
    'sites:read',
    'sites:write',
    'crawls:read',
    'crawls:run',
    'rules:preview',
    'plugins:use',
    'metrics:read',
  ],
};

/** The permissions a role has by default (admin: all). */
export function defaultPermissionsOf(role: string): readonly Permission[] {
  if (role === ADMIN_ROLE) return allPermissions;
  return (defaultGrants as Record<string, readonly Permission[]>)[role] ?? [];
}

export function isPermission(name: string): name is Permission {
  return Object.hasOwn(permissionCatalog, name);
}
