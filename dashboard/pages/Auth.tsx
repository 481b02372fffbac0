import type { FC } from 'hono/jsx';
import { Field, Notice } from '../components/Field.tsx';
import { Layout } from '../layout.tsx';

export interface AuthFormState {
  email?: string;
  name?: string;
  next?: string;
  error?: string;
  /** Messages by field name, from the server's validation. */
  fields?: Record<string, string>;
}

export const LoginPage: FC<{ state?: AuthFormState }> = ({ state = {} }) => (
  <Layout title="Sign in" hideHeaderSearch>
    <section class="auth-page">
      <h1>Sign in</h1>
      <p class="muted">
        New here?{' '}
        <a href={`/register${state.next ? `?next=${encodeURIComponent(state.next)}` : ''}`}>
          Create an account
        </a>
        .
      </p>
      <div class="panel">
        <Notice kind="error" text={state.error} />
        <form class="form" method="post" action="/login">
          <input type="hidden" name="next" value={state.next ?? ''} />
          <Field
            name="email"
            label="Email"
            type="email"
            value={state.email}
            autocomplete="username"
            required
            autofocus
          />
          <Field name="password" label="Password" type="password" autocomplete="current-password" required />
          <button class="button button-primary button-block" type="submit">
            Sign in
          </button>
        </form>
      </div>
    </section>
  </Layout>
);

export const RegisterPage: FC<{ state?: AuthFormState }> = ({ state = {} }) => (
  <Layout title="Create an account" hideHeaderSearch>
    <section class="auth-page">
      <h1>Create an account</h1>
      <p class="muted">
        Already registered?{' '}
        <a href={`/login${state.next ? `?next=${encodeURIComponent(state.next)}` : ''}`}>Sign in</a>.
      </p>
      <div class="panel">
        <Notice kind="error" text={state.error} />
        <form class="form" method="post" action="/register">
          <input type="hidden" name="next" value={state.next ?? ''} />
          <Field
            name="name"
            label="Your name"
            value={state.name}
            autocomplete="name"
            error={state.fields?.name}
            maxlength={100}
          />
          <Field
            name="email"
            label="Email"
            type="email"
            value={state.email}
            autocomplete="email"
            required
            error={state.fields?.email}
          />
          <Field
            name="password"
            label="Password"
            type="password"
            autocomplete="new-password"
            required
            minlength={10}
            hint="At least 10 characters. A few unrelated words make a strong one."
            error={state.fields?.password}
          />
          <button class="button button-primary button-block" type="submit">
            Create account
          </button>
        </form>
      </div>
    </section>
  </Layout>
);
