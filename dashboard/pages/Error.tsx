import type { FC } from 'hono/jsx';
import { SearchBox } from '../components/SearchBox.tsx';
import { anonymousPage, PageContext, type PageInfo } from '../context.ts';
import { Layout } from '../layout.tsx';

function copy(status: number): { title: string; text: string } {
  if (status === 404) {
    return {
      title: "We couldn't find that page",
      text: 'The link may be out of date, or the product is no longer in the catalog. Try a search instead.',
    };
  }
  if (status === 400) {
    return {
      title: "That request didn't look right",
      text: 'Some of the values in the address are not valid.',
    };
  }
  if (status === 403) {
    return {
      title: 'You don’t have access to this page',
      text: 'Your account is signed in, but its role does not allow this. Ask an admin if you need it.',
    };
  }
  if (status === 429) {
    return {
      title: 'Please slow down',
      text: 'Too many attempts in a short time. Wait a little and try again.',
    };
  }
  if (status === 503) {
    return {
      title: 'This is briefly unavailable',
      text: 'A service this page needs is not answering. Nothing was changed; please try again in a moment.',
    };
  }
  if (status >= 500) {
    return {
      title: 'Something went wrong on our side',
      text: "It's not you — please try again in a moment. If it keeps happening, we're probably already on it.",
    };
  }
  return { title: 'We could not show this page', text: 'The request could not be completed.' };
}

/** `message` explains a 4xx to the shopper; it is text, escaped like everything else. */
export const ErrorPage: FC<{ status: number; message?: string }> = ({ status, message }) => {
  const { title, text } = copy(status);
  return (
    <Layout title={title}>
      <section class="error-page">
        <p class="error-code">{status}</p>
        <h1>{title}</h1>
        <p class="error-text">{text}</p>
        {message ? <p class="error-detail">{message}</p> : null}
        {status === 404 || status === 400 ? <SearchBox size="lg" label="Search products" /> : null}
        <p>
          <a class="button" href="/">
            ← Back to the homepage
          </a>
        </p>
      </section>
    </Layout>
  );
};

export function renderErrorPage(status: number, message?: string, page: PageInfo = anonymousPage): string {
  const html = (
    <PageContext.Provider value={page}>
      <ErrorPage status={status} message={message} />
    </PageContext.Provider>
  ).toString();
  // Every component is synchronous, so rendering never yields a Promise.
  if (typeof html !== 'string') throw new Error('error page rendered asynchronously');
  return html;
}
