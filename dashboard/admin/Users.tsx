import type { FC } from 'hono/jsx';
import type { RoleView, UserView } from '../../commerce/accounts/types.ts';
import { CsrfField } from '../components/CsrfField.tsx';
import { Field } from '../components/Field.tsx';
import { formatDate } from '../format.ts';
import { AdminLayout } from './layout.tsx';
import { type Notice, NoticeBanner } from './Products.tsx';

export interface UsersQuery {
  q?: string | undefined;
  role?: string | undefined;
  status?: 'active' | 'disabled' | undefined;
  page: number;
}

/** Users (search, role and status) and, for role managers, the role → permission matrix. */
export const UsersPage: FC<{
  canManageUsers: boolean;
  canManageRoles: boolean;
  query: UsersQuery;
  users: { items: UserView[]; total: number } | null;
  roles: RoleView[];
  permissions: Array<{ name: string; description: string }>;
  notice: Notice;
  /** A password generated for a new account: shown once. */
  created: { email: string; password: string } | null;
}> = ({ canManageUsers, canManageRoles, query, users, roles, permissions, notice, created }) => {
  const pageSize = 50;
  const pages = users ? Math.max(1, Math.ceil(users.total / pageSize)) : 1;
  const href = (page: number) => {
    const p = new URLSearchParams();
    if (query.q) p.set('q', query.q);
    if (query.role) p.set('role', query.role);
    if (query.status) p.set('status', query.status);
    p.set('page', String(page));
    return `/admin/users?${p.toString()}`;
  };
  return (
    <AdminLayout title="Users and roles" section="users">
      <NoticeBanner notice={notice} />
      {created ? (
        <div class="notice notice-ok" role="status">
          <p>Account {created.email} created. Its password is shown this once: pass it on safely.</p>
          <code class="secret">{created.password}</code>
        </div>
      ) : null}
      {canManageUsers && users ? (
        <>
          <form method="get" action="/admin/users" class="panel filters">
            <div class="form-row">
              <Field name="q" label="Search" value={query.q ?? ''} id="u-q" hint="e-mail or name" />
              <div class="field">
                <label for="u-role">Role</label>
                <select id="u-role" name="role">
                  <option value="">Any</option>
                  {roles.map((r) => (
                    <option value={r.name} selected={query.role === r.name}>
                      {r.name}
                    </option>
                  ))}
                </select>
              </div>
              <div class="field">
                <label for="u-status">Status</label>
                <select id="u-status" name="status">
                  <option value="">Any</option>
                  <option value="active" selected={query.status === 'active'}>
                    Active
                  </option>
                  <option value="disabled" selected={query.status === 'disabled'}>
                    Disabled
                  </option>
                </select>
              </div>
            </div>
            <div>
              <button class="button" type="submit">
                Filter
              </button>{' '}
              <a href="/admin/users">Clear</a>
            </div>
          </form>
          <section class="panel" aria-labelledby="users-h">
            <h2 id="users-h">
              Users <span class="muted">({users.total})</span>
            </h2>
            <table class="data-table">
              <thead>
                <tr>
                  <th scope="col">User</th>
                  <th scope="col">Since</th>
                  <th scope="col">Last sign-in</th>
                  <th scope="col">Role and status</th>
                  <th scope="col">
                    <span class="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {users.items.map((u) => (
                  <tr>
                    <td>
                      <strong>{u.email}</strong>
                      {u.name ? <div class="muted small">{u.name}</div> : null}
                    </td>
                    <td>{formatDate(u.createdAt)}</td>
                    <td>{u.lastLoginAt ? formatDate(u.lastLoginAt, true) : '—'}</td>
                    <td>
                      <form method="post" action={`/admin/users/${u.id}`} class="inline-controls">
                        <CsrfField />
                        <label class="sr-only" for={`role-${u.id}`}>
                          Role of {u.email}
                        </label>
                        <select id={`role-${u.id}`} name="role">
                          {roles.map((r) => (
                            <option value={r.name} selected={u.role === r.name}>
                              {r.name}
                            </option>
                          ))}
                        </select>
                        <label class="sr-only" for={`status-${u.id}`}>
                          Status of {u.email}
                        </label>
                        <select id={`status-${u.id}`} name="status">
                          <option value="active" selected={u.status === 'active'}>
                            active
                          </option>
                          <option value="disabled" selected={u.status === 'disabled'}>
                            disabled
                          </option>
                        </select>
                        <button class="button button-small" type="submit">
                          Save
                        </button>
                      </form>
                    </td>
                    <td class="actions">
                      <form method="post" action={`/admin/users/${u.id}/sign-out`}>
                        <CsrfField />
                        <button class="button-link" type="submit">
                          Sign out everywhere
                        </button>
                      </form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {pages > 1 ? (
              <nav class="pagination" aria-label="Pages">
                {query.page > 1 ? (
                  <a href={href(query.page - 1)} rel="prev">
                    ← Previous
                  </a>
                ) : null}
                <span>
                  Page {query.page} of {pages}
                </span>
                {query.page < pages ? (
                  <a href={href(query.page + 1)} rel="next">
                    Next →
                  </a>
                ) : null}
              </nav>
            ) : null}
          </section>
          <section class="panel" aria-labelledby="new-user-h">
            <h2 id="new-user-h">New account</h2>
            <form method="post" action="/admin/users" class="form-row">
              <CsrfField />
              <Field name="email" label="E-mail" type="email" required id="n-email" />
              <Field name="name" label="Name" id="n-name" />
              <div class="field">
                <label for="n-role">Role</label>
                <select id="n-role" name="role">
                  {roles.map((r) => (
                    <option value={r.name} selected={r.name === 'operator'}>
                      {r.name}
                    </option>
                  ))}
                </select>
              </div>
              <div class="field field-end">
                <button class="button button-primary" type="submit">
                  Create with a random password
                </button>
              </div>
            </form>
          </section>
        </>
      ) : null}
      {canManageRoles ? (
        <section class="panel" aria-labelledby="roles-h">
          <h2 id="roles-h">Roles and permissions</h2>
          <p class="muted">
            A change applies to the role’s users from their next request. The admin role always holds every
            permission.
          </p>
          <form method="post" action="/admin/roles" class="matrix-form">
            <CsrfField />
            {roles
              .filter((r) => r.name !== 'admin')
              .map((r) => (
                <input type="hidden" name="roles" value={r.name} />
              ))}
            <div class="table-scroll">
              <table class="data-table matrix">
                <thead>
                  <tr>
                    <th scope="col">Permission</th>
                    {roles.map((r) => (
                      <th scope="col" class="matrix-role">
                        <span class="role-name">{r.name}</span>
                        <div class="muted small">
                          {r.users} {r.users === 1 ? 'user' : 'users'}
                        </div>
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {permissions.map((p) => (
                    <tr>
                      <th scope="row">
                        <code>{p.name}</code>
                        <div class="muted small">{p.description}</div>
                      </th>
                      {roles.map((r) => (
                        <td class="matrix-cell">
                          <input
                            type="checkbox"
                            name={`grant:${r.name}`}
                            value={p.name}
                            checked={r.name === 'admin' || r.permissions.includes(p.name as never)}
                            disabled={r.name === 'admin'}
                            aria-label={`${r.name}: ${p.name}`}
                          />
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div class="form-actions">
              <button class="button button-primary" type="submit">
                Save the matrix
              </button>
            </div>
          </form>
          <h3>New role</h3>
          <form method="post" action="/admin/roles/new" class="form-row">
            <CsrfField />
            <Field name="name" label="Name" required id="r-name" hint="lower case, e.g. support" />
            <Field name="description" label="Description" id="r-description" />
            <div class="field field-end">
              <button class="button" type="submit">
                Add role
              </button>
            </div>
          </form>
          {roles.some((r) => !r.builtIn) ? (
            <>
              <h3>Custom roles</h3>
              <ul class="plain-list">
                {roles
                  .filter((r) => !r.builtIn)
                  .map((r) => (
                    <li>
                      <form
                        method="post"
                        action={`/admin/roles/${encodeURIComponent(r.name)}/delete`}
                        class="inline-controls"
                      >
                        <CsrfField />
                        <strong>{r.name}</strong> <span class="muted">{r.description}</span>
                        <button class="button-link button-danger" type="submit" disabled={r.users > 0}>
                          Delete{r.users > 0 ? ' (in use)' : ''}
                        </button>
                      </form>
                    </li>
                  ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : null}
    </AdminLayout>
  );
};
