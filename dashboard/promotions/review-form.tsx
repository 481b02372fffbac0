import type { FC } from 'hono/jsx';
import { CsrfField } from '../components/CsrfField.tsx';
import { Notice } from '../components/Field.tsx';
import { Layout } from '../layout.tsx';

export interface ReviewFormView {
  orderNumber: string;
  lineId: string;
  title: string;
  error?: string | null;
  fields?: Record<string, string>;
  values?: Record<string, string>;
}

/** Writing a review of one delivered line: stars as radio buttons, text, up to four image links. */
export const ReviewFormPage: FC<{ view: ReviewFormView }> = ({ view }) => {
  const v = view.values ?? {};
  const f = view.fields ?? {};
  return (
    <Layout title={`Review ${view.title}`}>
      <section class="page-section">
        <p class="breadcrumb-line">
          <a href="/orders">Your orders</a> › <a href={`/orders/${view.orderNumber}`}>{view.orderNumber}</a> ›
          Review
        </p>
        <h1>Review {view.title}</h1>
        <Notice kind="error" text={view.error} />
        <form
          class="form panel"
          method="post"
          action={`/orders/${view.orderNumber}/lines/${view.lineId}/review`}
        >
          <CsrfField />
          <fieldset class="star-choice" aria-describedby={f.rating ? 'rating-error' : undefined}>
            <legend>Your rating</legend>
            {[5, 4, 3, 2, 1].map((n) => (
              <label>
                <input
                  type="radio"
                  name="rating"
                  value={String(n)}
                  checked={v.rating === String(n)}
                  required
                />
                <span>
                  {n} {n === 1 ? 'star' : 'stars'}
                </span>
              </label>
            ))}
          </fieldset>
          {f.rating ? (
            <span class="field-error" id="rating-error">
              {f.rating}
            </span>
          ) : null}
          <div class="field">
            <label for="review-body">Your review</label>
            <textarea
              id="review-body"
              name="body"
              required
              minlength={3}
              maxlength={2000}
              aria-invalid={f.body ? 'true' : undefined}
              aria-describedby={f.body ? 'review-body-error' : 'review-body-hint'}
            >
              {v.body ?? ''}
            </textarea>
            <span class="hint" id="review-body-hint">
              Plain text: what you liked, what you did not. Other shoppers see your first name.
            </span>
            {f.body ? (
              <span class="field-error" id="review-body-error">
                {f.body}
              </span>
            ) : null}
          </div>
          <div class="field">
            <label for="review-images">Photo links (optional, one per line, up to four)</label>
            <textarea
              id="review-images"
              name="imageUrls"
              rows={3}
              aria-invalid={f.imageUrls ? 'true' : undefined}
            >
              {v.imageUrls ?? ''}
            </textarea>
            {f.imageUrls ? <span class="field-error">{f.imageUrls}</span> : null}
          </div>
          <div>
            <button class="button button-primary" type="submit">
              Publish the review
            </button>
          </div>
        </form>
      </section>
    </Layout>
  );
};
