import { db } from '../../core/db/index.ts';
import { logger } from '../../core/logger.ts';
import { key, redis } from '../../core/redis.ts';

/** The Redis stream later consumers read order events from (bounded: about the last 100,000). */
export const orderEventStream = () => key('order-events');
const MAX_STREAM_LENGTH = 100_000;

/**
 * Relays order events to the stream. The order_event table is the outbox: an event is written
 * in the same transaction as the change it records and relayed afterwards, so none is lost
 * when Redis is down (the next relay sends it). No database transaction is held while Redis is
 * written to; relays in several processes may then both send an event, so delivery is at least
 * once and consumers tell a repeat by its eventId.
 */
export async function relayOrderEvents(batch = 500): Promise<number> {
  let relayed = 0;
  for (;;) {
    const events = await db().$queryRaw<
      Array<{
        id: bigint;
        order_id: string;
        number: string;
        from_status: string | null;
        to_status: string;
        actor_role: string;
        note: string | null;
        created_at: Date;
      }>
    >`
      SELECT e.id, e.order_id, o.number, e.from_status::text, e.to_status::text, e.actor_role, e.note, e.created_at
      FROM order_event e JOIN app_order o ON o.id = e.order_id
      WHERE e.published_at IS NULL ORDER BY e.id LIMIT ${batch}`;
    if (events.length === 0) return relayed;
    const pipeline = redis().pipeline();
    for (const event of events) {
      pipeline.xadd(
        orderEventStream(),
        'MAXLEN',
        '~',
        MAX_STREAM_LENGTH,
        '*',
        'eventId',
        String(event.id),
        'orderId',
        event.order_id,
        'number',
        event.number,
        'from',
        event.from_status ?? '',
        'to',
        event.to_status,
        'by',
        event.actor_role,
        'note',
        event.note ?? '',
        'at',
        event.created_at.toISOString(),
      );
    }
    for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
    await db().orderEvent.updateMany({
      where: { id: { in: events.map((e) => e.id) }, publishedAt: null },
      data: { publishedAt: new Date() },
    });
    relayed += events.length;
    if (events.length < batch) return relayed;
  }
}

let running: Promise<unknown> | null = null;
let again = false;

/**
 * Relays soon, without failing the caller (a missed relay is done by the next one or the
 * sweep). One relay at a time per process: changes arriving meanwhile are picked up by one
 * more pass when it ends.
 */
export function relaySoon(): void {
  if (running) {
    again = true;
    return;
  }
  running = relayOrderEvents()
    .catch((error: unknown) =>
      logger().warn({ err: error }, 'order events not relayed yet (the sweep retries)'),
    )
    .finally(() => {
      running = null;
      if (again) {
        again = false;
        relaySoon();
      }
    });
}
