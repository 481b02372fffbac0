import type { FC } from 'hono/jsx';

/** A labelled input with its hint and error tied to it for screen readers. */
export const Field: FC<{
  name: string;
  label: string;
  type?: string;
  value?: string | null;
  error?: string | undefined;
  hint?: string;
  required?: boolean;
  autocomplete?: string;
  autofocus?: boolean;
  minlength?: number;
  maxlength?: number;
  id?: string;
  step?: string;
}> = ({
  name,
  label,
  type = 'text',
  value,
  error,
  hint,
  required,
  autocomplete,
  autofocus,
  minlength,
  maxlength,
  id,
  step,
}) => {
  const inputId = id ?? `field-${name}`;
  const describedBy = [hint ? `${inputId}-hint` : '', error ? `${inputId}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div class="field">
      <label for={inputId}>{label}</label>
      <input
        id={inputId}
        name={name}
        type={type}
        value={value ?? ''}
        required={required}
        autocomplete={autocomplete}
        autofocus={autofocus}
        minlength={minlength}
        maxlength={maxlength}
        step={step}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy || undefined}
      />
      {hint ? (
        <span class="hint" id={`${inputId}-hint`}>
          {hint}
        </span>
      ) : null}
      {error ? (
        <span class="field-error" id={`${inputId}-error`}>
          {error}
        </span>
      ) : null}
    </div>
  );
};

/** A message above a form: what went wrong, or what was done. */
export const Notice: FC<{ kind: 'error' | 'ok' | 'warn'; text?: string | null | undefined }> = ({
  kind,
  text,
}) =>
  text ? (
    <p class={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {text}
    </p>
  ) : null;
