import type { FC } from 'hono/jsx';
import type { ProductDetail } from '../../catalog/types.ts';
import { formatDate, formatPrice } from '../format.ts';

const W = 640;
const H = 240;
const PAD = { left: 84, right: 20, top: 16, bottom: 36 };

type Point = { at: number; price: number };

/** Round axis values (…, 10, 20, 25, 50, 100, …) a reader can take in at a glance. */
export function axisTicks(min: number, max: number): number[] {
  const headroom = (max - min) * 0.1;
  const rough = (max - min + 2 * headroom) / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].find((n) => n * magnitude >= rough) ?? 10) * magnitude;
  const low = Math.max(0, Math.floor((min - headroom) / step) * step);
  const high = Math.ceil((max + headroom) / step) * step;
  const ticks: number[] = [];
  for (let t = low; t <= high + step / 2; t += step) ticks.push(Math.round(t * 10_000) / 10_000);
  return ticks;
}

/**
 * A step line of observed prices: a price holds until the next observation, and the last
 * one holds until the product was last seen. Only observations in the product's current
 * currency are drawn, since a line across currencies would compare unlike numbers.
 */
export const PriceChart: FC<{ product: ProductDetail }> = ({ product }) => {
  const currency = product.currency;
  const points: Point[] = product.priceHistory
    .filter((o) => o.price !== null && (currency === null || o.currency === currency))
    .map((o) => ({ at: o.observedAt.getTime(), price: Number(o.price) }))
    .filter((p) => Number.isFinite(p.price));

  // Repeated observations of one price (availability changes) would draw a flat line.
  if (new Set(points.map((p) => p.price)).size < 2) {
    const only = points[0];
    return (
      <p class="chart-empty">
        No price changes yet
        {only ? (
          <>
            {' '}
            — {formatPrice(only.price, currency)} since {formatDate(new Date(only.at))}.
          </>
        ) : (
          '.'
        )}
      </p>
    );
  }

  const first = points[0]!;
  const lastPoint = points[points.length - 1]!;
  const start = first.at;
  const end = Math.max(lastPoint.at, product.lastSeenAt.getTime());
  const span = Math.max(end - start, 1);
  const prices = points.map((p) => p.price);
  const ticks = axisTicks(Math.min(...prices), Math.max(...prices));
  const low = ticks[0]!;
  const high = ticks[ticks.length - 1]!;
  const whole = ticks.every(Number.isInteger);

  const x = (at: number) => PAD.left + ((at - start) / span) * (W - PAD.left - PAD.right);
  const y = (price: number) => PAD.top + (1 - (price - low) / (high - low)) * (H - PAD.top - PAD.bottom);
  const path = points
    .map((p, i) =>
      i === 0
        ? `M${x(p.at).toFixed(1)},${y(p.price).toFixed(1)}`
        : `H${x(p.at).toFixed(1)}V${y(p.price).toFixed(1)}`,
    )
    .join('')
    .concat(`H${x(end).toFixed(1)}`);
  // Observations minutes apart (a fresh catalog) would all print the same date.
  const withTime = span < 2 * 24 * 3600 * 1000;
  const xLabels = [start, start + span / 2, end];

  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`Price history from ${formatDate(new Date(start))} to ${formatDate(new Date(end))}`}
      >
        {ticks.map((t) => (
          <>
            <line class="chart-grid" x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} />
            <text class="chart-label" x={PAD.left - 8} y={y(t) + 4} text-anchor="end">
              {formatPrice(t, currency, { whole })}
            </text>
          </>
        ))}
        {xLabels.map((at, i) => (
          <text
            class="chart-label"
            x={x(at)}
            y={H - 12}
            text-anchor={i === 0 ? 'start' : i === xLabels.length - 1 ? 'end' : 'middle'}
          >
            {formatDate(new Date(at), withTime)}
          </text>
        ))}
        <path class="chart-area" d={`${path}V${H - PAD.bottom}H${PAD.left}Z`} />
        <path class="chart-line" d={path} />
        {points.map((p) => (
          <circle class="chart-dot" cx={x(p.at)} cy={y(p.price)} r="4">
            <title>
              {formatPrice(p.price, currency)} on {formatDate(new Date(p.at), withTime)}
            </title>
          </circle>
        ))}
      </svg>
      <figcaption>
        Lowest {formatPrice(Math.min(...prices), currency)} · highest{' '}
        {formatPrice(Math.max(...prices), currency)} · {points.length} observations
      </figcaption>
    </figure>
  );
};
