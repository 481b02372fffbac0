import { randomUUID } from 'node:crypto';
import { db, type Prisma } from '../../core/db/index.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { logger } from '../../core/logger.ts';
import { LuaScript } from '../../core/lua-script.ts';
import { key, redis, redisPipelined } from '../../core/redis.ts';
import { type FlashTerms, flashTerms } from './terms.ts';
import { schedulePromotionJob } from './timers.ts';
import { statusAt } from './window.ts';

/**
 * 秒杀 without overselling. A flash sale's units are counted in Redis, and one Lua script takes
 * them: it checks the sale is open (Redis's clock), the shopper's per-person limit and the
 * units left, and takes them, all in one step, so however many API processes race, no unit is
 * taken twice and the count never goes below zero. Postgres stays the record: every reservation
 * is a row there, and Redis's counts are rebuilt from those rows whenever Redis lost them.
 *
 * A reservation not paid in time lapses in Postgres first (one UPDATE that checks it is still
 * held), and only then is its unit given back in Redis; an order that binds the reservation
 * takes the same row lock, so a unit is either ordered or returned, never both. Giving a unit
 * back is keyed by the reservation's id, so doing it twice returns it once.
 *
 * Keys (one hash tag per sale): stock (units left), users (units per shopper), meta (open,
 * window, limit, minutes, listing), res (live reservations: id → user:quantity:time).
 */
const RESERVE = new LuaScript(
  `
if redis.call('EXISTS', KEYS[1]) == 0 then return {'not_loaded'} end
local meta = redis.call('HMGET', KEYS[3], 'open', 'start', 'end', 'per', 'mins', 'product')
if meta[1] ~= '1' then return {'closed'} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if now < tonumber(meta[2]) then return {'not_started'} end
if now >= tonumber(meta[3]) then return {'ended'} end
local qty = tonumber(ARGV[2])
local mine = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
if mine + qty > tonumber(meta[4]) then return {'limit', tostring(mine)} end
local stock = tonumber(redis.call('GET', KEYS[1]))
if stock < qty then return {'sold_out'} end
redis.call('DECRBY', KEYS[1], qty)
redis.call('HINCRBY', KEYS[2], ARGV[1], qty)
redis.call('HSET', KEYS[4], ARGV[3], ARGV[1] .. ':' .. qty .. ':' .. now)
return {'ok', tostring(stock - qty), tostring(now), meta[5], meta[6]}
`,
  4,
);

const RELEASE = new LuaScript(
  `
local v = redis.call('HGET', KEYS[3], ARGV[1])
if not v then return 0 end
local a = string.find(v, ':', 1, true)
local b = string.find(v, ':', a + 1, true)
local user = string.sub(v, 1, a - 1)
local qty = tonumber(string.sub(v, a + 1, b - 1))
redis.call('HDEL', KEYS[3], ARGV[1])
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('INCRBY', KEYS[1], qty) end
if redis.call('HINCRBY', KEYS[2], user, -qty) <= 0 then redis.call('HDEL', KEYS[2], user) end
return qty
`,
  3,
);

/** Loads a sale's counts from Postgres, only if Redis has none (the first loader wins). */
const LOAD = new LuaScript(
  `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('DEL', KEYS[2], KEYS[4])
redis.call('HSET', KEYS[3], 'open', ARGV[1], 'start', ARGV[2], 'end', ARGV[3], 'per', ARGV[4], 'mins', ARGV[5], 'product', ARGV[6], 'units', ARGV[8], 'price', ARGV[9])
for i = 10, #ARGV, 2 do
  local v = ARGV[i + 1]
  redis.call('HSET', KEYS[4], ARGV[i], v)
  local a = string.find(v, ':', 1, true)
  local b = string.find(v, ':', a + 1, true)
  redis.call('HINCRBY', KEYS[2], string.sub(v, 1, a - 1), tonumber(string.sub(v, a + 1, b - 1)))
end
redis.call('SET', KEYS[1], ARGV[7])
return 1
`,
  4,
);

function keys(promotionId: string) {
  const base = key('flash', `{${promotionId}}`);
  return { stock: `${base}:stock`, users: `${base}:users`, meta: `${base}:meta`, res: `${base}:res` };
}

const LIVE = ['held', 'ordered', 'paid'] as const;

async function flashPromotion(promotionId: string) {
  const promotion = await db().promotion.findUnique({ where: { id: promotionId } });
  if (promotion?.type !== 'flash') throw new NotFoundError('no such flash sale');
  return { promotion, terms: flashTerms.parse(promotion.rules) };
}

function metaFields(promotion: { status: string; startsAt: Date; endsAt: Date }, terms: FlashTerms) {
  const open = promotion.status === 'scheduled' || promotion.status === 'active' ? '1' : '0';
  return {
    open,
    start: String(promotion.startsAt.getTime()),
    end: String(promotion.endsAt.getTime()),
    per: String(terms.perPersonUnits),
    mins: String(terms.reserveMinutes),
    // What the sale's page shows, so that it is answered from Redis alone.
    units: String(terms.units),
    price: terms.price,
  };
}

const loading = new Map<string, Promise<void>>();

/**
 * Builds the sale's counts in Redis from Postgres's reservations, unless Redis has them. One
 * load at a time per sale in a process: the first attempts after Redis lost a sale would
 * otherwise all read Postgres at once.
 */
export function loadFlashSale(promotionId: string): Promise<void> {
  let pending = loading.get(promotionId);
  if (!pending) {
    pending = load(promotionId).finally(() => loading.delete(promotionId));
    loading.set(promotionId, pending);
  }
  return pending;
}

async function load(promotionId: string): Promise<void> {
  const { promotion, terms } = await flashPromotion(promotionId);
  const live = await db().flashReservation.findMany({
    where: { promotionId, status: { in: [...LIVE] } },
    select: { id: true, userId: true, quantity: true, createdAt: true },
  });
  const taken = live.reduce((n, r) => n + r.quantity, 0);
  const meta = metaFields(promotion, terms);
  const k = keys(promotionId);
  await LOAD.run(redis(), [
    k.stock,
    k.users,
    k.meta,
    k.res,
    meta.open,
    meta.start,
    meta.end,
    meta.per,
    meta.mins,
    promotion.productIds[0] ?? '',
    Math.max(0, terms.units - taken),
    meta.units,
    meta.price,
    ...live.flatMap((r) => [r.id, `${r.userId}:${r.quantity}:${r.createdAt.getTime()}`]),
  ]);
}

/** Tells Redis a sale's window, status and limit changed (paused, resumed, ended, edited). */
export async function refreshFlashMeta(promotionId: string): Promise<void> {
  const { promotion, terms } = await flashPromotion(promotionId);
  const k = keys(promotionId);
  // A sale about to open is loaded ahead, so its first attempts find Redis ready.
  if (!(await redis().exists(k.stock))) return loadFlashSale(promotionId);
  const meta = metaFields({ ...promotion, status: statusAt(promotion, new Date()) }, terms);
  await redis().hset(k.meta, meta);
}

export interface FlashReservationView {
  id: string;
  promotionId: string;
  productId: string;
  quantity: number;
  expiresAt: Date;
  /** Units left in the sale after this one. */
  left: number;
}

const refusals: Record<string, string> = {
  closed: 'this flash sale is not open',
  not_started: 'this flash sale has not started yet',
  ended: 'this flash sale has ended',
  sold_out: 'sold out: every unit is reserved or sold (units not paid in time come back)',
};

/**
 * Reserves flash-sale units for a shopper: one Lua script call in Redis, then the reservation's
 * row in Postgres, and a timer for when it lapses. Refused (409) when the sale is closed, sold
 * out, or the shopper has their per-person units already.
 */
export async function reserveFlash(
  userId: string,
  promotionId: string,
  quantity = 1,
): Promise<FlashReservationView> {
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > 99)
    throw ValidationError.field('quantity', 'from 1 to 99');
  const k = keys(promotionId);
  const id = randomUUID();
  const args = [k.stock, k.users, k.meta, k.res, userId, quantity, id];
  let result = (await RESERVE.run(redisPipelined(), args)) as string[];
  if (result[0] === 'not_loaded') {
    await loadFlashSale(promotionId);
    result = (await RESERVE.run(redisPipelined(), args)) as string[];
  }
  if (result[0] === 'limit')
    throw new ConflictError(
      `you have reserved ${result[1]} already: the most one person may have in this sale`,
    );
  if (result[0] !== 'ok') throw new ConflictError(refusals[result[0]!] ?? `flash sale: ${result[0]}`);
  const left = Number(result[1]);
  const [, , , minutes, productId] = result;
  const expiresAt = new Date(Number(result[2]) + Number(minutes) * 60_000);
  try {
    await reservationRows.write({ id, promotionId, productId: productId!, userId, quantity, expiresAt });
  } catch (error) {
    await RELEASE.run(redis(), [k.stock, k.users, k.res, id]).catch(() => {});
    throw error;
  }
  await scheduleLapse(promotionId, expiresAt);
  return { id, promotionId, productId: productId!, quantity, expiresAt, left };
}

type ReservationRow = Prisma.FlashReservationCreateManyInput;

/**
 * Reservation rows written together: a sale's units go in its first moments, and the rows of
 * the attempts won in one turn of the event loop are one INSERT instead of one transaction each.
 * Should the batch fail, each row is tried alone, so that one bad row fails only its own attempt.
 */
export class ReservationRows {
  private pending: Array<{ row: ReservationRow; done: (error?: unknown) => void }> = [];
  private scheduled = false;

  constructor(private readonly insert: (rows: ReservationRow[]) => Promise<unknown>) {}

  write(row: ReservationRow): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ row, done: (error) => (error === undefined ? resolve() : reject(error)) });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.pending.splice(0, 500);
    if (this.pending.length > 0) {
      this.scheduled = true;
      setImmediate(() => void this.flush());
    }
    try {
      await this.insert(batch.map((b) => b.row));
      for (const b of batch) b.done();
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.done(error);
        return;
      }
      await Promise.all(
        batch.map((b) =>
          this.insert([b.row]).then(
            () => b.done(),
            (alone: unknown) => b.done(alone),
          ),
        ),
      );
    }
  }
}

const reservationRows = new ReservationRows((rows) => db().flashReservation.createMany({ data: rows }));

// Lapse timers already asked for in this process: one per sale and second is enough.
const lapseTimers = new Set<string>();

/**
 * A timer that lapses the sale's reservations due by the end of `expiresAt`'s second (a quarter
 * second after, so Redis's clock, which set `expiresAt`, has passed it too). Reservations made
 * together share one timer instead of a delayed job each; the minute sweep covers a lost one.
 */
async function scheduleLapse(promotionId: string, expiresAt: Date): Promise<void> {
  const at = Math.ceil(expiresAt.getTime() / 1000) * 1000;
  const id = `flash-lapse-${promotionId}-${at}`;
  if (lapseTimers.has(id)) return;
  if (lapseTimers.size >= 10_000) lapseTimers.clear();
  lapseTimers.add(id);
  await schedulePromotionJob({ kind: 'flash-lapse-due', promotionId, at }, new Date(at + 250), id);
}

/** Lapses a sale's held reservations whose time is up (a timer's job, run any number of times). */
export async function lapseDueReservations(promotionId: string, now = new Date()): Promise<number> {
  const due = await db().flashReservation.findMany({
    where: { promotionId, status: 'held', expiresAt: { lte: now } },
    select: { id: true },
    take: 1000,
  });
  let lapsed = 0;
  for (const { id } of due) if (await lapseReservation(id)) lapsed++;
  return lapsed;
}

/** Gives reservations' units back to their sales in Redis (after Postgres says they are released or lapsed). */
export async function releaseFlashUnits(reservationIds: readonly string[]): Promise<void> {
  if (reservationIds.length === 0) return;
  const rows = await db().flashReservation.findMany({
    where: { id: { in: [...reservationIds] }, status: { in: ['lapsed', 'released'] } },
    select: { id: true, promotionId: true },
  });
  for (const row of rows) {
    const k = keys(row.promotionId);
    await RELEASE.run(redis(), [k.stock, k.users, k.res, row.id]);
  }
}

/**
 * A held reservation whose time is up lapses (Postgres first, only if still held), and its
 * units return to the sale. An ordered one follows its order instead (cancelled with it).
 */
export async function lapseReservation(reservationId: string): Promise<boolean> {
  const lapsed = await db().flashReservation.updateMany({
    where: { id: reservationId, status: 'held', expiresAt: { lte: new Date() } },
    data: { status: 'lapsed' },
  });
  if (lapsed.count > 0) await releaseFlashUnits([reservationId]);
  return lapsed.count > 0;
}

/**
 * The sweep's part: lapses every held reservation past its time, and puts Redis in step with
 * Postgres for every running sale (units whose reservation Postgres no longer holds go back;
 * a reservation Redis made but whose row never got written, older than a minute, too).
 */
export async function sweepFlashSales(now = new Date()): Promise<{ lapsed: number; reconciled: number }> {
  const due = await db().flashReservation.findMany({
    where: { status: 'held', expiresAt: { lte: now } },
    select: { id: true },
    take: 1000,
  });
  let lapsed = 0;
  for (const { id } of due) if (await lapseReservation(id)) lapsed++;
  let reconciled = 0;
  const sales = await db().promotion.findMany({
    where: { type: 'flash', status: { in: ['scheduled', 'active', 'paused'] } },
    select: { id: true },
  });
  for (const { id: promotionId } of sales) {
    const k = keys(promotionId);
    const inRedis = await redis().hgetall(k.res);
    const ids = Object.keys(inRedis);
    if (ids.length === 0) continue;
    const live = new Set(
      (
        await db().flashReservation.findMany({
          where: { id: { in: ids }, status: { in: [...LIVE] } },
          select: { id: true },
        })
      ).map((r) => r.id),
    );
    for (const id of ids) {
      if (live.has(id)) continue;
      const madeAt = Number(inRedis[id]!.split(':')[2]);
      if (now.getTime() - madeAt < 60_000) continue;
      await RELEASE.run(redis(), [k.stock, k.users, k.res, id]);
      reconciled++;
    }
  }
  if (lapsed || reconciled) logger().info({ lapsed, reconciled }, 'flash-sale sweep');
  return { lapsed, reconciled };
}

export interface FlashSaleState {
  promotionId: string;
  units: number;
  left: number;
  price: string;
  perPersonUnits: number;
  reserveMinutes: number;
}

/**
 * Units left in a sale now, and its terms: from Redis alone (the sale's meta hash, which every
 * change to the promotion rewrites), so that a page polled by every waiting shopper costs no
 * Postgres query. Loads the sale into Redis when Redis has lost it.
 */
export async function flashSaleState(promotionId: string): Promise<FlashSaleState> {
  const k = keys(promotionId);
  const [[, meta], [, left]] = (await redisPipelined()
    .multi()
    .hmget(k.meta, 'units', 'price', 'per', 'mins')
    .get(k.stock)
    .exec()) as [[unknown, Array<string | null>], [unknown, string | null]];
  const [units, price, per, mins] = meta;
  if (left !== null && units && price && per && mins)
    return {
      promotionId,
      units: Number(units),
      left: Number(left),
      price,
      perPersonUnits: Number(per),
      reserveMinutes: Number(mins),
    };
  return flashSaleStateFromPostgres(promotionId);
}

async function flashSaleStateFromPostgres(promotionId: string): Promise<FlashSaleState> {
  const { terms } = await flashPromotion(promotionId);
  const k = keys(promotionId);
  let stock = await redis().get(k.stock);
  if (stock === null) {
    await loadFlashSale(promotionId);
    stock = await redis().get(k.stock);
  }
  return {
    promotionId,
    units: terms.units,
    left: Number(stock ?? 0),
    price: terms.price,
    perPersonUnits: terms.perPersonUnits,
    reserveMinutes: terms.reserveMinutes,
  };
}

/** The shopper's reservations still held (not yet ordered), for the cart and checkout pages. */
export async function heldReservations(userId: string): Promise<FlashReservationView[]> {
  const rows = await db().flashReservation.findMany({
    where: { userId, status: 'held', expiresAt: { gt: new Date() } },
    orderBy: { createdAt: 'asc' },
  });
  return rows.map((r) => ({
    id: r.id,
    promotionId: r.promotionId,
    productId: r.productId,
    quantity: r.quantity,
    expiresAt: r.expiresAt,
    left: 0,
  }));
}

/** The flash units of a cancelled order, given back to their sales in Redis (idempotent). */
export async function releaseOrderFlashUnits(orderId: string): Promise<void> {
  const rows = await db().flashReservation.findMany({
    where: { orderId, status: 'released' },
    select: { id: true },
  });
  await releaseFlashUnits(rows.map((r) => r.id));
}
