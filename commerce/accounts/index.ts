export {
  type AddressView,
  addAddress,
  deleteAddress,
  getAddress,
  listAddresses,
  updateAddress,
} from './addresses.ts';
export {
  type ClientInfo,
  changePassword,
  register,
  type SignedIn,
  signIn,
  verifyCredentials,
} from './auth.ts';
export { AuthCache, type AuthChange, authChanged } from './auth-cache.ts';
export { hashPassword } from './passwords.ts';
export {
  ADMIN_ROLE,
  allPermissions,
  builtInRoles,
  defaultPermissionsOf,
  isPermission,
  type Permission,
  permissionCatalog,
  permissionSchema,
} from './permissions.ts';
export { Principal, type PrincipalUser } from './principal.ts';
export {
  createRole,
  deleteRole,
  getRole,
  listRoles,
  permissionsOfRole,
  type RoleView,
  setRolePermissions,
  syncPermissions,
} from './roles.ts';
export * as accountSchemas from './schemas.ts';
export {
  authenticateSession,
  createSession,
  endSession,
  listSessions,
  purgeExpiredSessions,
  revokeAllSessions,
  revokeSession,
  type SessionView,
} from './sessions.ts';
export { LOGIN_LIMITS } from './throttle.ts';
export {
  authenticateToken,
  createToken,
  listTokens,
  revokeToken,
  TOKEN_PREFIX,
  type TokenView,
} from './tokens.ts';
export {
  createStaffUser,
  emailsOf,
  findUserByEmail,
  generatePassword,
  getUser,
  insertUser,
  listUsers,
  resetPassword,
  type UserView,
  updateProfile,
  updateUser,
} from './users.ts';
