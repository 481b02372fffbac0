import { z } from 'zod';
import type { Actor } from '../../core/actor.ts';
import { type Permission, permissionSchema } from './permissions.ts';

export type PrincipalUser = NonNullable<PrincipalSnapshot['user']>;

/**
 * A principal as plain data, for the authentication cache shared through Redis: read back
 * through this schema, so a value that is not one (another version's, a corrupted one) is
 * refused rather than trusted. A permission this version does not know fails it too.
 */
export const principalSnapshotSchema = z.object({
  user: z
    .object({ id: z.string(), email: z.string(), name: z.string().nullable(), role: z.string() })
    .nullable(),
  via: z.enum(['session', 'token', 'anonymous']),
  permissions: z.array(permissionSchema),
  session: z.object({ id: z.string(), csrfToken: z.string() }).nullable(),
  tokenId: z.string().nullable(),
});
export type PrincipalSnapshot = z.infer<typeof principalSnapshotSchema>;

/**
 * Who is asking: a signed-in user (by session cookie or API token) with the permissions their
 * role grants (narrowed to the token's scopes), or nobody.
 */
export class Principal implements Actor {
  private constructor(
    readonly user: PrincipalUser | null,
    readonly via: 'session' | 'token' | 'anonymous',
    readonly permissions: ReadonlySet<Permission>,
    /** The session's id and CSRF token (cookie sessions only). */
    readonly session: { id: string; csrfToken: string } | null = null,
    readonly tokenId: string | null = null,
  ) {}

  static readonly anonymous = new Principal(null, 'anonymous', new Set());

  static fromSession(
    user: PrincipalUser,
    permissions: Iterable<Permission>,
    session: { id: string; csrfToken: string },
  ): Principal {
    return new Principal(user, 'session', new Set(permissions), session);
  }

  static fromToken(user: PrincipalUser, permissions: Iterable<Permission>, tokenId: string): Principal {
    return new Principal(user, 'token', new Set(permissions), null, tokenId);
  }

  /** A machine caller with fixed permissions (Prometheus with METRICS_TOKEN). */
  static service(name: string, permissions: Iterable<Permission>): Principal {
    return new Principal(
      { id: `service:${name}`, email: name, name, role: 'service' },
      'token',
      new Set(permissions),
    );
  }

  /** What the shared authentication cache keeps of it (auth-cache.ts), as plain data. */
  snapshot(): PrincipalSnapshot {
    return {
      user: this.user,
      via: this.via,
      permissions: [...this.permissions],
      session: this.session,
      tokenId: this.tokenId,
    };
  }

  static fromSnapshot(s: PrincipalSnapshot): Principal {
    return new Principal(s.user, s.via, new Set(s.permissions), s.session, s.tokenId);
  }

  get userId(): string | null {
    return this.user?.id ?? null;
  }

  get signedIn(): boolean {
    return this.user !== null;
  }

  can(permission: Permission | string): boolean {
    return this.permissions.has(permission as Permission);
  }

  canAny(permissions: readonly Permission[]): boolean {
    return permissions.some((p) => this.permissions.has(p));
  }
}
