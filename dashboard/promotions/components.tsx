import type { FC } from 'hono/jsx';
import type { Breakdown } from '../../commerce/promotions/types.ts';
import { formatPrice } from '../format.ts';

const STAR = 'M10 1.5l2.6 5.3 5.9.9-4.3 4.1 1 5.8L10 14.9l-5.2 2.7 1-5.8L1.5 7.7l5.9-.9z';

let clipSerial = 0;

/**
 * Stars as a picture (filled to the average; SVG attributes, since the page's CSP allows no
 * inline styles) with the number in words for everyone, screen readers included.
 */
export const Stars: FC<{ rating: string | number | null; count?: number; compact?: boolean }> = ({
  rating,
  count,
  compact,
}) => {
  if (rating === null || (count !== undefined && count === 0))
    return compact ? null : <span class="stars muted">No reviews yet</span>;
  const value = Number(rating);
  const width = Math.max(0, Math.min(100, (value / 5) * 100));
  const clip = `stars-clip-${++clipSerial}`;
  const shapes = [0, 1, 2, 3, 4].map((i) => <path d={STAR} transform={`translate(${i * 20} 0)`} />);
  return (
    <span class="stars" data-rating={value.toFixed(2)}>
      <svg viewBox="0 0 100 20" width="80" height="16" aria-hidden="true" focusable="false">
        <defs>
          <clipPath id={clip}>
            <rect x="0" y="0" width={width.toFixed(1)} height="20" />
          </clipPath>
        </defs>
        <g fill="#d0d5dd">{shapes}</g>
        <g fill="#c27803" clip-path={`url(#${clip})`}>
          {shapes}
        </g>
      </svg>
      <span>
        <span class="sr-only">Rated </span>
        {value.toFixed(1)}
        <span class="sr-only"> out of 5</span>
        {count !== undefined ? ` (${count})` : ''}
      </span>
    </span>
  );
};

/** A horizontal bar for shares and progress (an SVG: no inline styles under the CSP). */
export const Meter: FC<{ percent: number; label: string; accent?: boolean }> = ({
  percent,
  label,
  accent,
}) => (
  <svg
    class="meter-svg"
    viewBox="0 0 100 8"
    preserveAspectRatio="none"
    width="100%"
    height="8"
    role="img"
    aria-label={label}
  >
    <rect x="0" y="0" width="100" height="8" rx="4" fill="#eef0f3" />
    <rect
      x="0"
      y="0"
      width={Math.max(0, Math.min(100, percent)).toFixed(1)}
      height="8"
      rx="4"
      fill={accent ? '#0d7a6a' : '#c27803'}
    />
  </svg>
);

/**
 * One order-to-be's breakdown: each line at its list price and what promotions took off it,
 * the discounts that applied with their terms, and why the others did not.
 */
export const BreakdownTable: FC<{
  breakdown: Breakdown;
  titles: Record<string, string>;
}> = ({ breakdown, titles }) => {
  const currency = breakdown.currency;
  const label = new Map(breakdown.applied.map((a) => [a.id, a.number ? `${a.number} ${a.label}` : a.label]));
  return (
    <div class="breakdown-wrap">
      <table class="breakdown">
        <caption class="sr-only">Items and their discounts</caption>
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col" class="amount">
              List
            </th>
            <th scope="col" class="amount">
              Discounts
            </th>
            <th scope="col" class="amount">
              You pay
            </th>
          </tr>
        </thead>
        <tbody>
          {breakdown.lines.map((line) => (
            <tr data-line={line.key}>
              <td>
                {titles[line.key] ?? 'Item'} × {line.quantity}
                {line.shares.length > 0 ? (
                  <ul class="line-shares">
                    {line.shares.map((share) => (
                      <li>
                        −{formatPrice(share.amount, currency)} {label.get(share.source) ?? share.source}
                        {share.points ? ` (${share.points} points)` : ''}
                      </li>
                    ))}
                  </ul>
                ) : null}
              </td>
              <td class="amount">{formatPrice(line.lineTotal, currency)}</td>
              <td class="amount saving">
                {line.discount === '0.00' ? '—' : `−${formatPrice(line.discount, currency)}`}
              </td>
              <td class="amount">{formatPrice(line.total, currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {breakdown.applied.length > 0 ? (
        <table class="breakdown applied">
          <caption class="sr-only">Promotions applied</caption>
          <tbody>
            {breakdown.applied.map((a) => (
              <tr data-applied={a.kind}>
                <th scope="row">
                  {a.number ? `${a.number} ` : ''}
                  {a.label}
                  <span class="muted"> · {a.detail}</span>
                </th>
                <td class="amount saving">−{formatPrice(a.amount, currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {breakdown.notApplied.length > 0 ? (
        <details class="disclosure">
          <summary>Not applied ({breakdown.notApplied.length})</summary>
          <ul class="not-applied">
            {breakdown.notApplied.map((n) => (
              <li data-not-applied={n.promotionId ?? n.id}>
                <strong>
                  {n.number ? `${n.number} ` : ''}
                  {n.label}
                </strong>
                : {n.reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
};
