// The accounts context's types for views (dashboard/): types only.
export type { AddressView } from './addresses.ts';
export type { RoleView } from './roles.ts';
export type { SessionView } from './sessions.ts';
export type { TokenView } from './tokens.ts';
export type { UserView } from './users.ts';
