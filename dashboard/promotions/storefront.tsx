import type { FC } from 'hono/jsx';
import type { MemberStatus, PointsEntryView, TierView } from '../../commerce/membership/types.ts';
import type {
  FlashSaleState,
  GroupBuyView,
  MyCoupon,
  PromotionView,
} from '../../commerce/promotions/types.ts';
import type { RatingSummary, ReviewView } from '../../commerce/reviews/types.ts';
import { CsrfField } from '../components/CsrfField.tsx';
import { formatDate, formatPrice, safeHttpUrl } from '../format.ts';
import { Meter, Stars } from './components.tsx';

/** What the product page shows of promotions: those running on the listing, the flash sale's units, open groups. */
export interface ListingPromotions {
  items: PromotionView[];
  flash: FlashSaleState | null;
  groups: GroupBuyView[];
  /** Whether the visitor may buy (signed in as a shopper): buttons, or a sign-in link. */
  canBuy: boolean;
}

const when = (date: Date) => formatDate(date, true);

export const ListingPromotionsPanel: FC<{ productId: string; promotions: ListingPromotions }> = ({
  productId,
  promotions,
}) => {
  if (promotions.items.length === 0) return null;
  const signIn = `/login?next=${encodeURIComponent(`/product/${productId}`)}`;
  return (
    <section class="listing-promotions" aria-labelledby="promotions-title">
      <h2 id="promotions-title" class="sr-only">
        Promotions
      </h2>
      <ul class="promo-list">
        {promotions.items.map((p) => (
          <li class={`promo promo-${p.type}`} data-promotion={p.number}>
            <div class="promo-head">
              <span class="promo-tag">{p.typeName}</span>
              <strong>{p.name}</strong>
            </div>
            <span>{p.terms}</span>
            <span class="muted">Until {when(p.endsAt)} UTC</span>
            {p.type === 'flash' && promotions.flash ? (
              <div class="promo-action">
                <p>
                  <strong data-flash-left>{promotions.flash.left}</strong> of {promotions.flash.units} left ·
                  reserved units are yours for {promotions.flash.reserveMinutes} minutes
                </p>
                {promotions.canBuy ? (
                  <form method="post" action={`/flash-sales/${p.id}/reserve`}>
                    <CsrfField />
                    <button
                      class="button button-primary"
                      type="submit"
                      disabled={promotions.flash.left === 0}
                    >
                      {promotions.flash.left === 0
                        ? 'Sold out'
                        : `Grab one at ${formatPrice(promotions.flash.price, p.currency)}`}
                    </button>
                  </form>
                ) : (
                  <a class="button" href={signIn}>
                    Sign in to grab one
                  </a>
                )}
              </div>
            ) : null}
            {p.type === 'group' ? (
              <div class="promo-action">
                {promotions.canBuy ? (
                  <>
                    <form method="post" action={`/group-buys/${p.id}/join`}>
                      <CsrfField />
                      <button class="button button-primary" type="submit">
                        Start a group
                      </button>
                    </form>
                    {promotions.groups.length > 0 ? (
                      <ul class="summary-list">
                        {promotions.groups.map((g) => (
                          <li>
                            <span>
                              {g.leaderName}’s group: {g.paid} paid of {g.size} · until {when(g.deadline)} UTC
                            </span>
                            <form method="post" action={`/group-buys/${p.id}/join`} class="inline-form">
                              <CsrfField />
                              <input type="hidden" name="groupId" value={g.id} />
                              <button class="button button-small" type="submit">
                                Join
                              </button>
                            </form>
                          </li>
                        ))}
                      </ul>
                    ) : null}
                  </>
                ) : (
                  <a class="button" href={signIn}>
                    Sign in to start or join a group
                  </a>
                )}
              </div>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
};

export interface ListingReviews {
  rating: RatingSummary;
  items: ReviewView[];
  total: number;
  canVote: boolean;
}

/** A review as shown: stars, text (escaped, line breaks kept), images, the merchant's reply, votes. */
export const ReviewItem: FC<{ review: ReviewView; canVote: boolean; back: string }> = ({
  review,
  canVote,
  back,
}) => (
  <li class="review" data-review={review.id}>
    <div class="review-head">
      <Stars rating={review.rating} />
      <strong>{review.authorName}</strong>
      <span class="muted">{formatDate(review.createdAt)}</span>
    </div>
    <p class="review-body">{review.body}</p>
    {review.imageUrls.length > 0 ? (
      <div class="review-images">
        {review.imageUrls
          .map(safeHttpUrl)
          .filter((u): u is string => u !== null)
          .map((url, i) => (
            <a href={url} target="_blank" rel="noopener noreferrer nofollow">
              <img
                src={url}
                alt={`What ${review.authorName} received, view ${i + 1}`}
                loading="lazy"
                referrerpolicy="no-referrer"
              />
            </a>
          ))}
      </div>
    ) : null}
    {review.reply ? (
      <div class="review-reply">
        <strong>The shop replied:</strong> {review.reply}
      </div>
    ) : null}
    <div class="review-foot">
      <span>{review.helpfulCount} found this helpful</span>
      {review.mine ? (
        <span>Your review</span>
      ) : canVote && !review.votedHelpful ? (
        <form method="post" action={`/reviews/${review.id}/helpful`} class="inline-form">
          <CsrfField />
          <input type="hidden" name="back" value={back} />
          <button class="link-button" type="submit">
            Helpful
          </button>
        </form>
      ) : review.votedHelpful ? (
        <span>You found it helpful</span>
      ) : null}
    </div>
  </li>
);

export const ReviewsSection: FC<{ productId: string; reviews: ListingReviews }> = ({
  productId,
  reviews,
}) => {
  const { rating } = reviews;
  return (
    <section class="panel" id="reviews" aria-labelledby="reviews-title">
      <h2 id="reviews-title">Reviews</h2>
      {rating.count === 0 ? (
        <p class="muted">No reviews yet. Buyers can review what they received from their order page.</p>
      ) : (
        <>
          <div class="rating-summary">
            <div>
              <div class="rating-big">{Number(rating.average).toFixed(1)}</div>
              <Stars rating={rating.average} count={rating.count} />
            </div>
            <ul class="rating-bars" aria-label="Reviews per number of stars">
              {[5, 4, 3, 2, 1].map((stars) => {
                const n = rating.distribution[stars - 1]!;
                return (
                  <li>
                    <span>
                      {stars} {stars === 1 ? 'star' : 'stars'}
                    </span>
                    <Meter
                      percent={(n / rating.count) * 100}
                      label={`${n} of ${rating.count} reviews give ${stars} stars`}
                    />
                    <span>{n}</span>
                  </li>
                );
              })}
            </ul>
          </div>
          <ul class="review-list">
            {reviews.items.map((review) => (
              <ReviewItem review={review} canVote={reviews.canVote} back={`/product/${productId}#reviews`} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
};

/** The account page's membership section: tier and progress, points, coupons, paid tiers. */
export interface MembershipView {
  status: MemberStatus;
  tiers: TierView[];
  history: PointsEntryView[];
  coupons: MyCoupon[];
  claimable: PromotionView[];
}

export const MembershipSection: FC<{
  view: MembershipView;
  flash?: { kind: 'ok' | 'error'; text: string } | null;
}> = ({ view, flash }) => {
  const { status } = view;
  const currency = status.currency;
  return (
    <section class="panel" id="membership" aria-labelledby="membership-title">
      <h2 id="membership-title">Membership</h2>
      {flash ? (
        <p class={`notice notice-${flash.kind}`} role={flash.kind === 'error' ? 'alert' : 'status'}>
          {flash.text}
        </p>
      ) : null}
      <div class="tier-card">
        <div>
          <span class="tier-name" data-tier={status.tier.code}>
            {status.tier.name}
          </span>{' '}
          <span class="muted">
            {status.via === 'paid' && status.paidTier
              ? `bought, until ${formatDate(status.paidTier.until)}`
              : 'by your spending'}
          </span>
        </div>
        {status.tier.benefits ? <p class="muted">{status.tier.benefits}</p> : null}
        <p>
          Spent in the last 12 months: <strong>{formatPrice(status.yearlySpend, currency)}</strong>
        </p>
        {status.next ? (
          <div>
            <Meter
              percent={status.next.progressPercent}
              label={`${status.next.progressPercent}% of the way to ${status.next.tier.name}`}
              accent
            />
            <p class="muted">
              {formatPrice(status.next.remaining, currency)} more this year to reach {status.next.tier.name} (
              {status.next.progressPercent}%).
            </p>
          </div>
        ) : (
          <p class="muted">You have the highest tier.</p>
        )}
        <p>
          Points: <strong data-points>{status.points}</strong>{' '}
          <span class="muted">
            ({status.settings.pointsPerUnit} points = 1.00 at checkout, up to{' '}
            {status.settings.maxRedeemPercent}% of an order)
          </span>
        </p>
      </div>

      <h3>Coupons</h3>
      {view.coupons.length === 0 ? <p class="muted">No coupons yet.</p> : null}
      <ul class="coupon-list">
        {view.coupons.map((c) => (
          <li class={`coupon${c.usable ? '' : ' coupon-used'}`}>
            <code>{c.code}</code>
            <span>{c.promotion.name}</span>
            <span class="muted">
              {c.promotion.terms}
              {c.note ? ` · ${c.note}` : ` · until ${formatDate(c.promotion.endsAt)}`}
            </span>
          </li>
        ))}
      </ul>
      {view.claimable.length > 0 ? (
        <>
          <h3>Coupons to claim</h3>
          <ul class="summary-list">
            {view.claimable.map((p) => (
              <li>
                <span>
                  <strong>{p.name}</strong> <span class="muted">· {p.terms}</span>
                </span>
                <form method="post" action={`/account/coupons/${p.id}/claim`} class="inline-form">
                  <CsrfField />
                  <button class="button button-small" type="submit">
                    Claim
                  </button>
                </form>
              </li>
            ))}
          </ul>
        </>
      ) : null}

      {view.tiers.some((t) => t.price && t.rank > status.tier.rank) ? (
        <details class="disclosure">
          <summary>Buy a tier for a year</summary>
          <ul class="summary-list">
            {view.tiers
              .filter((t) => t.price && t.rank > status.tier.rank)
              .map((t) => (
                <li>
                  <span>
                    <strong>{t.name}</strong> · {formatPrice(t.price, currency)} a year from your balance
                    {t.benefits ? <span class="muted"> · {t.benefits}</span> : null}
                  </span>
                  <form method="post" action="/account/membership/tier" class="inline-form">
                    <CsrfField />
                    <input type="hidden" name="tier" value={t.code} />
                    <button class="button button-small" type="submit">
                      Buy {t.name}
                    </button>
                  </form>
                </li>
              ))}
          </ul>
        </details>
      ) : null}

      {view.history.length > 0 ? (
        <details class="disclosure">
          <summary>Points history</summary>
          <table class="data-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col" class="amount">
                  Points
                </th>
              </tr>
            </thead>
            <tbody>
              {view.history.map((e) => (
                <tr>
                  <td>{formatDate(e.createdAt, true)}</td>
                  <td>{e.note ?? e.kind}</td>
                  <td class="amount">{e.delta > 0 ? `+${e.delta}` : e.delta}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
    </section>
  );
};
