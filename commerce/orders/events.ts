import { db } from '../../core/db/index.ts';
import { logger } from '../../core/logger.ts';
import { key, redis } from '../../core/redis.ts';

/** The Redis stream later consumers read order events from (bounded: about the last 100,000). */
export const orderEventStream = () => key('order-events');
const MAX_STREAM_LENGTH = 100_000;

/**
 * Relays order events to the stream. The order_event table is the outbox: an event is written
 * in the same transaction as the change it records and relayed afterwards, so none is lost
 * when Redis is down (the next relay sends it); consumers may see one twice and tell by its id.
 * Rows are claimed with SKIP LOCKED, so relays on several processes share the work.
 */
export async function relayOrderEvents(batch = 500): Promise<number> {
  let relayed = 0;
  for (;;) {
    const sent = await db().$transaction(async (tx) => {
      const events = await tx.$queryRaw<
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
        WHERE e.published_at IS NULL ORDER BY e.id LIMIT ${batch} FOR UPDATE OF e SKIP LOCKED`;
      if (events.length === 0) return 0;
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
      await tx.orderEvent.updateMany({
        where: { id: { in: events.map((e) => e.id) } },
        data: { publishedAt: new Date() },
      });
      return events.length;
    });
    relayed += sent;
    if (sent < batch) return relayed;
  }
}

/** Relays without failing the caller: a missed relay is done by the next one. */
export function relaySoon(): void {
  relayOrderEvents().catch((error: unknown) =>
    logger().warn({ err: error }, 'order events not relayed yet (the sweep retries)'),
  );
}
