import type { FC } from 'hono/jsx';
import { CsrfField } from '../components/CsrfField.tsx';
import { formatDate } from '../format.ts';
import { AdminLayout } from './layout.tsx';
import { type Notice, NoticeBanner } from './Products.tsx';

/** One setting as the form shows it: the API derives these from the settings schema. */
export interface SettingField {
  name: string;
  label: string;
  type: 'text' | 'number' | 'email';
  value: string;
  hint: string | null;
  required: boolean;
  min?: number;
  max?: number;
  error?: string;
}

export interface SettingGroupView {
  group: string;
  title: string;
  description: string;
  fields: SettingField[];
  savedAt: Date | null;
  savedBy: string | null;
}

/** Every settings group as its own form: a mistake in one never loses another's changes. */
export const SettingsPage: FC<{ groups: SettingGroupView[]; notice: Notice }> = ({ groups, notice }) => (
  <AdminLayout title="Settings" section="settings">
    <NoticeBanner notice={notice} />
    <p class="muted">
      Changes apply within two seconds on every server, with no restart. A group never saved uses the values
      from the environment.
    </p>
    <nav class="chip-row" aria-label="Settings groups">
      {groups.map((g) => (
        <a class="chip" href={`#settings-${g.group}`}>
          {g.title}
        </a>
      ))}
    </nav>
    <div class="admin-grid">
      {groups.map((g) => (
        <section class="panel" id={`settings-${g.group}`} aria-labelledby={`settings-${g.group}-h`}>
          <h2 id={`settings-${g.group}-h`}>{g.title}</h2>
          <p class="muted">{g.description}</p>
          <form method="post" action={`/admin/settings/${g.group}`} class="stack-form">
            <CsrfField />
            {g.fields.map((f) => {
              const id = `s-${g.group}-${f.name}`;
              const describedBy = [f.hint ? `${id}-hint` : '', f.error ? `${id}-error` : '']
                .filter(Boolean)
                .join(' ');
              return (
                <div class="field">
                  <label for={id}>{f.label}</label>
                  <input
                    id={id}
                    name={f.name}
                    type={f.type}
                    value={f.value}
                    required={f.required}
                    min={f.min}
                    max={f.max}
                    aria-invalid={f.error ? 'true' : undefined}
                    aria-describedby={describedBy || undefined}
                  />
                  {f.hint ? (
                    <span class="hint" id={`${id}-hint`}>
                      {f.hint}
                    </span>
                  ) : null}
                  {f.error ? (
                    <span class="field-error" id={`${id}-error`}>
                      {f.error}
                    </span>
                  ) : null}
                </div>
              );
            })}
            <div class="form-actions">
              <button class="button button-primary" type="submit">
                Save {g.title.toLowerCase()}
              </button>
              <span class="muted small">
                {g.savedAt
                  ? `Saved ${formatDate(g.savedAt, true)}${g.savedBy ? ` by ${g.savedBy}` : ''}`
                  : 'Never saved: environment defaults'}
              </span>
            </div>
          </form>
        </section>
      ))}
    </div>
  </AdminLayout>
);
