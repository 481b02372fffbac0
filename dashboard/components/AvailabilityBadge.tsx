import type { FC } from 'hono/jsx';
import type { AvailabilityValue } from '../../core/product.ts';
import { availabilityInfo } from '../format.ts';

export const AvailabilityBadge: FC<{ availability: AvailabilityValue }> = ({ availability }) => {
  const info = availabilityInfo[availability] ?? availabilityInfo.Unknown;
  return (
    <span class={`badge badge-${info.tone}`} data-availability={availability}>
      <span class="badge-dot" aria-hidden="true" />
      {info.label}
    </span>
  );
};
