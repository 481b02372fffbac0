import type { FC } from 'hono/jsx';
import { usePage } from '../context.ts';
import { Layout } from '../layout.tsx';
import { scriptHref } from '../scripts.ts';

export const ApiDocsPage: FC<{ openApiUrl: string }> = ({ openApiUrl }) => {
  const { nonce } = usePage();
  return (
    <Layout title="API documentation">
      <div class="docs-head">
        <h1>API documentation</h1>
        <p>
          Every endpoint of the JSON API. The machine-readable description is at{' '}
          <a href={openApiUrl}>
            <code>{openApiUrl}</code>
          </a>
          .
        </p>
      </div>
      <div id="docs" data-src={openApiUrl}>
        <p class="muted">Loading the API description…</p>
        <noscript>
          <p>
            This page needs JavaScript to lay out the description; the <a href={openApiUrl}>raw JSON</a> has
            everything.
          </p>
        </noscript>
      </div>
      <script src={scriptHref('api-docs')} nonce={nonce} defer />
    </Layout>
  );
};
