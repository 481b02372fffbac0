import type { Actor } from '../../core/actor.ts';
import type { Permission } from './permissions.ts';

export interface PrincipalUser {
  id: string;
  email: string;
  name: string | null;
  role: string;
}

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
