import type { FC, PropsWithChildren } from 'hono/jsx';
import { usePage } from '../context.ts';
import { Layout } from '../layout.tsx';
import { scriptHref } from '../scripts.ts';

/**
 * The back office: the storefront's header and look, a side menu of the sections this user may
 * open (from their permissions), and the page. `section` marks the current menu entry.
 */
export const AdminLayout: FC<PropsWithChildren<{ title: string; section: string; actions?: unknown }>> = ({
  title,
  section,
  actions,
  children,
}) => {
  const { adminNav, nonce } = usePage();
  return (
    <Layout title={`${title} · Back office`}>
      <div class="admin-layout">
        <nav class="admin-nav" aria-label="Back office">
          <p class="admin-nav-title">Back office</p>
          {adminNav.map((entry) => (
            <a href={entry.href} aria-current={entry.section === section ? 'page' : undefined}>
              {entry.label}
            </a>
          ))}
        </nav>
        <div class="admin-main">
          <header class="admin-head">
            <h1>{title}</h1>
            {actions ? <div class="admin-actions">{actions as never}</div> : null}
          </header>
          {children}
        </div>
      </div>
      {/* htmx only enhances: every form and link works without it. No eval, no injected styles (CSP). */}
      <meta
        name="htmx-config"
        content='{"allowEval":false,"includeIndicatorStyles":false,"allowScriptTags":false}'
      />
      <script src={scriptHref('htmx')} nonce={nonce} defer />
    </Layout>
  );
};
