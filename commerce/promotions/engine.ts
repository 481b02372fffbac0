import { minorUnitsOf } from '../../core/money.ts';
import { type PromotionType, priceTypes, type Terms } from './terms.ts';

/**
 * The promotion engine: a pure function from one order-to-be (its lines, in one currency), the
 * promotions that could apply, the shopper's membership, reservations, coupon and points, to a
 * breakdown: each line's price, every discount's share of every line, what applied and why the
 * rest did not.
 *
 * It works in three layers, each computed from the layer before and never from the order in
 * which promotions arrive:
 *
 * 1. Price: each line gets its lowest unit price among list price, member price and the price
 *    promotions it qualifies for (抢购 rush, 秒杀 flash with a reservation, 团购 group with a seat).
 * 2. Order discounts: 满减 thresholds, 折扣 discounts and the coupon, each computed on the same
 *    base (the layer-1 totals of its eligible lines). Of the combinations the stacking rules
 *    allow, the one that saves most is chosen; ties go to the set of lower promotion numbers.
 * 3. Points, last, up to the cap.
 *
 * Amounts are integers of the currency's minor unit (BigInt) inside, so every split is exact;
 * each discount is split over its lines pro rata with largest remainders in a fixed order, and a
 * line whose discounts would exceed it has them scaled down: no line is ever negative.
 */

export interface EngineLine {
  /** The listing (product id): one line per listing. */
  key: string;
  merchantId: string;
  categoryPath: readonly string[];
  /** List price per unit, in the order's currency. */
  unitPrice: string;
  quantity: number;
}

export interface EnginePromotion {
  id: string;
  number: string;
  name: string;
  terms: Terms;
  scope:
    | { kind: 'everything' }
    | { kind: 'merchant'; merchantId: string }
    | { kind: 'category'; category: string }
    | { kind: 'listings'; productIds: readonly string[] };
  /** Its amounts' currency (null: percentages only, any currency). */
  currency: string | null;
  /** The least member tier allowed, with its rank (null: everyone). */
  minTier: { code: string; name: string; rank: number } | null;
  stacking: 'stackable' | 'exclusive';
  fundedBy: 'merchant' | 'platform';
  /** Why this shopper cannot use it now, known before pricing (a limit reached, a code used up). */
  blocked: string | null;
  /** What is left of its budget (null: no budget). */
  budgetLeft: string | null;
  /** Units this shopper already bought at this promotion's price (rush per-person limit). */
  userUnits: number;
}

export interface EngineInput {
  currency: string;
  lines: readonly EngineLine[];
  promotions: readonly EnginePromotion[];
  member: { code: string; name: string; rank: number; discountPercent: string } | null;
  /** Flash-sale units the shopper holds: per promotion and listing. */
  flashHolds: ReadonlyArray<{ promotionId: string; productId: string; quantity: number }>;
  /** Group-buy seats the shopper holds: per promotion and listing. */
  groupSeats: ReadonlyArray<{ promotionId: string; productId: string }>;
  /** The coupon promotion entered for this order (it must be among `promotions`), if any. */
  couponPromotionId: string | null;
  points: { requested: number; available: number; perUnit: number; maxPercent: number } | null;
}

export type SourceKind = 'price' | 'order' | 'coupon' | 'points';

export interface AppliedSource {
  /** The promotion's id, or "member" / "points". */
  id: string;
  promotionId: string | null;
  number: string | null;
  kind: SourceKind;
  type: PromotionType | 'member' | 'points';
  label: string;
  /** What it took off, in all. */
  amount: string;
  detail: string;
  fundedBy: 'merchant' | 'platform';
  /** Points redeemed (kind points). */
  points: number;
}

export interface NotApplied {
  id: string;
  promotionId: string | null;
  number: string | null;
  label: string;
  reason: string;
}

export interface BreakdownLine {
  key: string;
  quantity: number;
  unitPrice: string;
  lineTotal: string;
  /** The unit price after the price layer, and what set it (null: list price). */
  price: { unitPrice: string; source: string } | null;
  /** Each applied source's share of this line, in source order. */
  shares: Array<{ source: string; amount: string; points: number }>;
  discount: string;
  total: string;
}

export interface Breakdown {
  currency: string;
  lines: BreakdownLine[];
  applied: AppliedSource[];
  notApplied: NotApplied[];
  itemsTotal: string;
  discountTotal: string;
  total: string;
  points: { used: number; value: string; capped: boolean };
}

// ————— minor-unit arithmetic —————

function toMinor(value: string, digits: number): bigint {
  const [whole = '0', fraction = ''] = value.trim().split('.');
  const negative = whole.startsWith('-');
  const padded = (fraction + '0'.repeat(digits)).slice(0, digits);
  const rest = fraction.slice(digits);
  let units = BigInt(whole.replace('-', '') || '0') * 10n ** BigInt(digits) + BigInt(padded || '0');
  // Half away from zero, as core/money.ts rounds.
  if (rest && rest[0]! >= '5') units += 1n;
  return negative ? -units : units;
}

function fromMinor(units: bigint, digits: number): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const base = 10n ** BigInt(digits);
  const whole = abs / base;
  const fraction = (abs % base).toString().padStart(digits, '0');
  return `${negative ? '-' : ''}${whole}${digits > 0 ? `.${fraction}` : ''}`;
}

const least = (a: bigint, b: bigint) => (a < b ? a : b);

/** `value × numerator / denominator`, rounded half up (all non-negative). */
function mulDivRound(value: bigint, numerator: bigint, denominator: bigint): bigint {
  return (value * numerator * 2n + denominator) / (denominator * 2n);
}

/** A percentage (up to two decimals) as hundredths of a percent. */
function basisPoints(percent: number | string): bigint {
  return BigInt(Math.round(Number(percent) * 100));
}

/**
 * Splits `total` over weights with largest remainders: floors first, then one unit each to the
 * largest fractional parts, ties to the earlier key. Keys are in canonical order, so the split
 * depends only on the numbers. Requires total ≤ Σ weights for the no-overshoot guarantee.
 */
function split(total: bigint, weights: ReadonlyArray<{ key: string; weight: bigint }>): Map<string, bigint> {
  const out = new Map<string, bigint>();
  const sumWeights = weights.reduce((s, w) => s + w.weight, 0n);
  if (total === 0n || sumWeights === 0n) {
    for (const w of weights) out.set(w.key, 0n);
    return out;
  }
  let given = 0n;
  const remainders: Array<{ key: string; remainder: bigint }> = [];
  for (const w of weights) {
    const exact = total * w.weight;
    const share = exact / sumWeights;
    out.set(w.key, share);
    given += share;
    remainders.push({ key: w.key, remainder: exact % sumWeights });
  }
  remainders.sort((a, b) =>
    a.remainder === b.remainder ? a.key.localeCompare(b.key) : a.remainder > b.remainder ? -1 : 1,
  );
  for (let i = 0; given < total; i++, given++) {
    const key = remainders[i % remainders.length]!.key;
    out.set(key, out.get(key)! + 1n);
  }
  return out;
}

// ————— scope and eligibility —————

function inScope(promotion: EnginePromotion, line: EngineLine): boolean {
  const scope = promotion.scope;
  switch (scope.kind) {
    case 'everything':
      return true;
    case 'merchant':
      return line.merchantId === scope.merchantId;
    case 'category':
      return line.categoryPath.includes(scope.category);
    case 'listings':
      return scope.productIds.includes(line.key);
  }
}

const byNumber = (a: { number: string }, b: { number: string }) => a.number.localeCompare(b.number);

/** Fixed preference among equal prices, so ties never depend on input order. */
const PRICE_KIND_RANK: Record<string, number> = { flash: 0, group: 1, rush: 2, member: 3 };

interface PriceOption {
  source: string;
  promotion: EnginePromotion | null;
  kind: 'flash' | 'group' | 'rush' | 'member';
  unit: bigint;
  label: string;
}

interface OrderCandidate {
  promotion: EnginePromotion;
  kind: 'order' | 'coupon';
  lines: string[];
  amount: bigint;
  detail: string;
}

export function evaluate(input: EngineInput): Breakdown {
  const digits = minorUnitsOf(input.currency);
  const money = (units: bigint) => fromMinor(units, digits);
  const minor = (value: string) => toMinor(value, digits);
  const fmt = (value: string) => `${value} ${input.currency}`;

  // Canonical order: nothing below may depend on the order the caller listed things in.
  const lines = [...input.lines].sort((a, b) => a.key.localeCompare(b.key));
  const promotions = [...input.promotions].sort(byNumber);
  const notApplied: NotApplied[] = [];
  const applied: AppliedSource[] = [];
  const skip = (p: EnginePromotion, reason: string) =>
    notApplied.push({ id: p.id, promotionId: p.id, number: p.number, label: p.name, reason });

  const usable = promotions.filter((p) => {
    if (p.currency !== null && p.currency !== input.currency) return false;
    return true;
  });
  const tierAllows = (p: EnginePromotion) => !p.minTier || (input.member?.rank ?? -1) >= p.minTier.rank;

  // ——— layer 1: price ———
  const listTotal = new Map(lines.map((l) => [l.key, minor(l.unitPrice) * BigInt(l.quantity)]));
  const chosenPrice = new Map<string, PriceOption>();
  const priceReasons = new Map<string, string[]>();
  for (const line of lines) {
    const list = minor(line.unitPrice);
    const options: PriceOption[] = [];
    const memberBp = input.member ? basisPoints(input.member.discountPercent) : 0n;
    if (input.member && memberBp > 0n)
      options.push({
        source: 'member',
        promotion: null,
        kind: 'member',
        unit: list - mulDivRound(list, memberBp, 10_000n),
        label: `${input.member.name} member price`,
      });
    for (const p of usable) {
      if (!priceTypes.has(p.terms.type) || !inScope(p, line)) continue;
      const reasons = priceReasons.get(p.id) ?? [];
      priceReasons.set(p.id, reasons);
      if (p.blocked) {
        reasons.push(p.blocked);
        continue;
      }
      if (!tierAllows(p)) {
        reasons.push(`for ${p.minTier!.name} members and above`);
        continue;
      }
      const terms = p.terms;
      if (terms.type === 'rush') {
        const left = terms.rules.perPersonUnits - p.userUnits;
        if (line.quantity > left) {
          reasons.push(
            left <= 0
              ? `at most ${terms.rules.perPersonUnits} per person, and you have had them`
              : `at most ${terms.rules.perPersonUnits} per person: reduce the quantity to ${left}`,
          );
          continue;
        }
        options.push({
          source: p.id,
          promotion: p,
          kind: 'rush',
          unit: minor(terms.rules.price),
          label: p.name,
        });
      } else if (terms.type === 'flash') {
        const hold = input.flashHolds.find((h) => h.promotionId === p.id && h.productId === line.key);
        if (!hold) {
          reasons.push('reserve a unit first: the flash price is for reserved units');
          continue;
        }
        if (line.quantity > hold.quantity) {
          reasons.push(`you reserved ${hold.quantity}: reduce the quantity to ${hold.quantity}`);
          continue;
        }
        options.push({
          source: p.id,
          promotion: p,
          kind: 'flash',
          unit: minor(terms.rules.price),
          label: p.name,
        });
      } else if (terms.type === 'group') {
        const seat = input.groupSeats.some((s) => s.promotionId === p.id && s.productId === line.key);
        if (!seat) {
          reasons.push('start or join a group first');
          continue;
        }
        if (line.quantity > terms.rules.perPersonUnits) {
          reasons.push(`at most ${terms.rules.perPersonUnits} per person in a group`);
          continue;
        }
        options.push({
          source: p.id,
          promotion: p,
          kind: 'group',
          unit: minor(terms.rules.price),
          label: p.name,
        });
      }
    }
    const cheaper = options.filter((o) => o.unit < list);
    cheaper.sort(
      (a, b) =>
        (a.unit === b.unit ? 0 : a.unit < b.unit ? -1 : 1) ||
        PRICE_KIND_RANK[a.kind]! - PRICE_KIND_RANK[b.kind]! ||
        (a.promotion?.number ?? '').localeCompare(b.promotion?.number ?? ''),
    );
    const best = cheaper[0];
    if (best) chosenPrice.set(line.key, best);
    for (const other of options) {
      if (other === best || !other.promotion) continue;
      const reasons = priceReasons.get(other.promotion.id)!;
      reasons.push(
        other.unit >= list ? 'not below the list price' : `a lower price applies (${best!.label})`,
      );
    }
  }
  const priced = new Map(
    lines.map((l) => {
      const price = chosenPrice.get(l.key);
      return [l.key, price ? price.unit * BigInt(l.quantity) : listTotal.get(l.key)!];
    }),
  );

  const shares = new Map<string, Map<string, bigint>>(); // source → line → amount
  const pointsShares = new Map<string, bigint>();
  const priceSources = new Map<string, { option: PriceOption; total: bigint }>();
  for (const [key, option] of chosenPrice) {
    const line = lines.find((l) => l.key === key)!;
    const saved = listTotal.get(key)! - option.unit * BigInt(line.quantity);
    const entry = priceSources.get(option.source) ?? { option, total: 0n };
    entry.total += saved;
    priceSources.set(option.source, entry);
    const map = shares.get(option.source) ?? new Map<string, bigint>();
    map.set(key, saved);
    shares.set(option.source, map);
  }

  // ——— layer 2: order discounts ———
  const exclusiveLines = new Set(
    [...chosenPrice].filter(([, o]) => o.promotion?.stacking === 'exclusive').map(([k]) => k),
  );
  const candidates: OrderCandidate[] = [];
  for (const p of usable) {
    const type = p.terms.type;
    if (priceTypes.has(type)) continue;
    if (type === 'coupon' && p.id !== input.couponPromotionId) continue;
    const scoped = lines.filter((l) => inScope(p, l));
    if (scoped.length === 0) {
      if (type === 'coupon') skip(p, 'nothing in this order is covered by the coupon');
      continue;
    }
    if (p.blocked) {
      skip(p, p.blocked);
      continue;
    }
    if (!tierAllows(p)) {
      skip(p, `for ${p.minTier!.name} members and above`);
      continue;
    }
    const eligible = scoped.filter((l) => !exclusiveLines.has(l.key));
    if (eligible.length === 0) {
      const by = chosenPrice.get(scoped[0]!.key)!;
      skip(p, `${by.label} does not combine with other promotions`);
      continue;
    }
    const base = eligible.reduce((s, l) => s + priced.get(l.key)!, 0n);
    let amount = 0n;
    let detail = '';
    const terms = p.terms;
    if (terms.type === 'threshold') {
      const tiers = terms.rules.tiers
        .map((t) => ({ spend: minor(t.spend), off: minor(t.off), text: `满${t.spend}减${t.off}` }))
        .sort((a, b) => (a.spend < b.spend ? -1 : a.spend > b.spend ? 1 : 0));
      const reached = tiers.filter((t) => t.spend <= base).at(-1);
      if (!reached) {
        const next = tiers[0]!;
        skip(
          p,
          `spend ${fmt(money(next.spend - base))} more on eligible items for ${fmt(money(next.off))} off`,
        );
        continue;
      }
      amount = least(reached.off, base);
      const higher = tiers.find((t) => t.spend > base);
      detail = `${reached.text}${higher ? ` (spend ${fmt(money(higher.spend - base))} more for ${fmt(money(higher.off))} off)` : ''}`;
    } else if (terms.type === 'discount' || terms.type === 'coupon') {
      const r = terms.rules;
      if (r.minSpend && base < minor(r.minSpend)) {
        skip(p, `spend ${fmt(money(minor(r.minSpend) - base))} more on eligible items to use it`);
        continue;
      }
      if (r.percent !== undefined) {
        amount = mulDivRound(base, basisPoints(r.percent), 10_000n);
        detail = `${r.percent}% off ${fmt(money(base))}`;
        if (r.maxOff && amount > minor(r.maxOff)) {
          amount = minor(r.maxOff);
          detail += `, at most ${fmt(r.maxOff)}`;
        }
      } else {
        const off = minor(r.amountOff!);
        amount = least(off, base);
        detail = `${fmt(r.amountOff!)} off`;
      }
    }
    if (p.budgetLeft !== null) {
      const left = minor(p.budgetLeft);
      if (left <= 0n) {
        skip(p, 'its budget is spent');
        continue;
      }
      if (amount > left) {
        amount = left;
        detail += ' (the rest of its budget)';
      }
    }
    if (amount <= 0n) {
      skip(p, 'saves nothing on this order');
      continue;
    }
    candidates.push({
      promotion: p,
      kind: type === 'coupon' ? 'coupon' : 'order',
      lines: eligible.map((l) => l.key),
      amount,
      detail,
    });
  }

  const chosen = chooseCombination(candidates, lines, priced);
  const chosenIds = new Set(chosen.sets.map((c) => c.promotion.id));
  for (const c of candidates) {
    if (chosenIds.has(c.promotion.id)) continue;
    const rival = chosen.sets.find((s) => !compatible(s, c));
    skip(
      c.promotion,
      rival
        ? c.promotion.stacking === 'exclusive'
          ? `it does not combine with others, and ${rival.promotion.number} ${rival.promotion.name} together with the rest saves more`
          : rival.promotion.stacking === 'exclusive'
            ? `${rival.promotion.number} ${rival.promotion.name} saves more and does not combine with others`
            : `${rival.promotion.number} ${rival.promotion.name}, of the same kind on the same items, saves more`
        : 'another combination saves more',
    );
  }
  for (const c of chosen.sets) shares.set(c.promotion.id, chosen.allocations.get(c.promotion.id)!);

  // ——— layer 3: points ———
  const afterOrder = new Map(
    lines.map((l) => {
      let left = priced.get(l.key)!;
      for (const c of chosen.sets) left -= chosen.allocations.get(c.promotion.id)!.get(l.key) ?? 0n;
      return [l.key, left];
    }),
  );
  let pointsUsed = 0;
  let pointsValue = 0n;
  let pointsCapped = false;
  if (input.points && input.points.requested > 0) {
    const { requested, available, perUnit, maxPercent } = input.points;
    const base = [...afterOrder.values()].reduce((s, v) => s + v, 0n);
    const capValue = (base * BigInt(maxPercent)) / 100n;
    const scale = 10n ** BigInt(digits);
    const wanted = BigInt(Math.max(0, Math.min(requested, available)));
    // Points are worth 1/perUnit each; value is rounded down to the minor unit.
    let value = (wanted * scale) / BigInt(perUnit);
    if (value > capValue) {
      value = capValue;
      pointsCapped = true;
    }
    if (requested > available) pointsCapped = true;
    if (value > 0n) {
      pointsValue = value;
      // The fewest whole points worth this value.
      pointsUsed = Number((value * BigInt(perUnit) + scale - 1n) / scale);
      const valueShares = split(
        value,
        lines.map((l) => ({ key: l.key, weight: afterOrder.get(l.key)! })),
      );
      shares.set('points', valueShares);
      const pointShares = split(
        BigInt(pointsUsed),
        lines.map((l) => ({ key: l.key, weight: valueShares.get(l.key)! })),
      );
      for (const [k, v] of pointShares) pointsShares.set(k, v);
    }
  }

  // ——— the result, sources in a fixed order: price, order (by number), coupon, points ———
  for (const [source, { option, total }] of [...priceSources].sort((a, b) =>
    (a[1].option.promotion?.number ?? '').localeCompare(b[1].option.promotion?.number ?? ''),
  )) {
    applied.push({
      id: source,
      promotionId: option.promotion?.id ?? null,
      number: option.promotion?.number ?? null,
      kind: 'price',
      type: option.kind === 'member' ? 'member' : option.promotion!.terms.type,
      label: option.label,
      amount: money(total),
      detail:
        option.kind === 'member'
          ? `${input.member!.discountPercent}% below list price`
          : `${fmt(money(option.unit))} each`,
      fundedBy: option.promotion?.fundedBy ?? 'platform',
      points: 0,
    });
  }
  for (const c of [...chosen.sets].sort((a, b) =>
    a.kind === b.kind ? byNumber(a.promotion, b.promotion) : a.kind === 'order' ? -1 : 1,
  )) {
    const total = [...chosen.allocations.get(c.promotion.id)!.values()].reduce((s, v) => s + v, 0n);
    applied.push({
      id: c.promotion.id,
      promotionId: c.promotion.id,
      number: c.promotion.number,
      kind: c.kind,
      type: c.promotion.terms.type,
      label: c.promotion.name,
      amount: money(total),
      detail:
        total < c.amount ? `${c.detail}; ${fmt(money(total))} after the items' own discounts` : c.detail,
      fundedBy: c.promotion.fundedBy,
      points: 0,
    });
  }
  if (pointsValue > 0n)
    applied.push({
      id: 'points',
      promotionId: null,
      number: null,
      kind: 'points',
      type: 'points',
      label: 'Points',
      amount: money(pointsValue),
      detail: `${pointsUsed} points${pointsCapped ? ` (at most ${input.points!.maxPercent}% of the items)` : ''}`,
      fundedBy: 'platform',
      points: pointsUsed,
    });
  for (const [id, reasons] of priceReasons) {
    if (reasons.length === 0 || priceSources.has(id)) continue;
    const p = usable.find((x) => x.id === id)!;
    skip(p, [...new Set(reasons)].join('; '));
  }
  if (input.member && basisPoints(input.member.discountPercent) > 0n && !priceSources.has('member'))
    notApplied.push({
      id: 'member',
      promotionId: null,
      number: null,
      label: `${input.member.name} member price`,
      reason: 'a promotion’s price is lower',
    });

  const order = applied.map((a) => a.id);
  const outLines: BreakdownLine[] = input.lines.map((line) => {
    const lineShares = order
      .map((source) => ({
        source,
        units: shares.get(source)?.get(line.key) ?? 0n,
        points: source === 'points' ? Number(pointsShares.get(line.key) ?? 0n) : 0,
      }))
      .filter((s) => s.units > 0n);
    const discount = lineShares.reduce((s, x) => s + x.units, 0n);
    const total = listTotal.get(line.key)!;
    const price = chosenPrice.get(line.key);
    return {
      key: line.key,
      quantity: line.quantity,
      unitPrice: money(minor(line.unitPrice)),
      lineTotal: money(total),
      price: price ? { unitPrice: money(price.unit), source: price.source } : null,
      shares: lineShares.map((s) => ({ source: s.source, amount: money(s.units), points: s.points })),
      discount: money(discount),
      total: money(total - discount),
    };
  });
  const itemsTotal = [...listTotal.values()].reduce((s, v) => s + v, 0n);
  const discountTotal = outLines.reduce((s, l) => s + minor(l.discount), 0n);
  notApplied.sort((a, b) => (a.number ?? '~').localeCompare(b.number ?? '~') || a.id.localeCompare(b.id));
  return {
    currency: input.currency,
    lines: outLines,
    applied,
    notApplied,
    itemsTotal: money(itemsTotal),
    discountTotal: money(discountTotal),
    total: money(itemsTotal - discountTotal),
    points: { used: pointsUsed, value: money(pointsValue), capped: pointsCapped },
  };
}

/** Two order discounts may apply together: both stackable, and of different types or on different items. */
function compatible(a: OrderCandidate, b: OrderCandidate): boolean {
  if (a.promotion.stacking === 'exclusive' || b.promotion.stacking === 'exclusive') return false;
  if (a.promotion.terms.type !== b.promotion.terms.type) return true;
  return !a.lines.some((key) => b.lines.includes(key));
}

/** Most order discounts considered together; beyond it the ones saving least alone are dropped. */
const MAX_CANDIDATES = 12;

/**
 * The allowed combination that saves most after capping, ties to the lexicographically smallest
 * list of promotion numbers. Candidates are in number order, so the search, and its answer, do
 * not depend on the order promotions were given in.
 */
function chooseCombination(
  all: OrderCandidate[],
  lines: readonly EngineLine[],
  priced: Map<string, bigint>,
): { sets: OrderCandidate[]; allocations: Map<string, Map<string, bigint>> } {
  const candidates = [...all]
    .sort((a, b) =>
      a.amount === b.amount ? byNumber(a.promotion, b.promotion) : a.amount > b.amount ? -1 : 1,
    )
    .slice(0, MAX_CANDIDATES)
    .sort((a, b) => byNumber(a.promotion, b.promotion));
  let best: { sets: OrderCandidate[]; allocations: Map<string, Map<string, bigint>>; total: bigint } = {
    sets: [],
    allocations: new Map(),
    total: 0n,
  };
  const visit = (start: number, picked: OrderCandidate[]) => {
    if (picked.length > 0) {
      const allocations = allocate(picked, lines, priced);
      let total = 0n;
      for (const map of allocations.values()) for (const v of map.values()) total += v;
      const key = (s: OrderCandidate[]) => s.map((c) => c.promotion.number).join(',');
      if (total > best.total || (total === best.total && key(picked) < key(best.sets)))
        best = { sets: [...picked], allocations, total };
    }
    for (let i = start; i < candidates.length; i++) {
      const c = candidates[i]!;
      if (picked.every((p) => compatible(p, c))) visit(i + 1, [...picked, c]);
    }
  };
  visit(0, []);
  return best;
}

/**
 * Each chosen discount split over its lines pro rata to their price-layer totals; a line whose
 * shares add up to more than it costs has every share scaled down (largest remainders, in
 * promotion-number order), so no line goes below zero.
 */
function allocate(
  picked: OrderCandidate[],
  lines: readonly EngineLine[],
  priced: Map<string, bigint>,
): Map<string, Map<string, bigint>> {
  const allocations = new Map<string, Map<string, bigint>>();
  for (const c of picked)
    allocations.set(
      c.promotion.id,
      split(
        c.amount,
        lines.filter((l) => c.lines.includes(l.key)).map((l) => ({ key: l.key, weight: priced.get(l.key)! })),
      ),
    );
  for (const line of lines) {
    const cap = priced.get(line.key)!;
    const owners = picked.filter((c) => (allocations.get(c.promotion.id)!.get(line.key) ?? 0n) > 0n);
    const sum = owners.reduce((s, c) => s + allocations.get(c.promotion.id)!.get(line.key)!, 0n);
    if (sum <= cap) continue;
    const scaled = split(
      cap,
      owners.map((c) => ({
        key: c.promotion.number,
        weight: allocations.get(c.promotion.id)!.get(line.key)!,
      })),
    );
    for (const c of owners) allocations.get(c.promotion.id)!.set(line.key, scaled.get(c.promotion.number)!);
  }
  return allocations;
}
