import type { Logger } from 'pino';
import { claimDueWebhooks, type DueWebhook, settleWebhook } from '../catalog/index.ts';
import {
  guardedDispatcher,
  isPrivateNetworkError,
  type NetworkPolicy,
  PUBLIC_ONLY,
} from '../crawler/index.ts';

/** A webhook answer slower than this is a failed attempt (tried again later). */
const TIMEOUT_MS = 5_000;

/**
 * POSTs one price alert to the shopper's webhook. The URL is hostile input: every connection
 * (redirects are not followed) goes through the crawler's network guard, which refuses private,
 * loopback and link-local addresses at connect time, so a name that rebinds to one is refused too.
 */
export async function deliverWebhook(
  due: DueWebhook,
  policy: NetworkPolicy = PUBLIC_ONLY,
): Promise<'delivered' | 'refused' | 'failed'> {
  try {
    const response = await fetch(due.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Trawl price alerts' },
      body: JSON.stringify(due.body),
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
      // @ts-expect-error undici's dispatcher option is not in the DOM fetch types
      dispatcher: guardedDispatcher(policy),
    });
    await response.body?.cancel();
    return response.status >= 200 && response.status < 300 ? 'delivered' : 'failed';
  } catch (error) {
    return isPrivateNetworkError(error) ? 'refused' : 'failed';
  }
}

/** Delivers due webhooks until none is left; returns how many were attempted. */
export async function deliverDueWebhooks(log?: Logger, policy: NetworkPolicy = PUBLIC_ONLY): Promise<number> {
  let attempted = 0;
  for (let batch = await claimDueWebhooks(); batch.length > 0; batch = await claimDueWebhooks()) {
    await Promise.all(
      batch.map(async (due) => {
        const outcome = await deliverWebhook(due, policy);
        await settleWebhook(due.alertId, outcome, due.attempts);
        if (outcome !== 'delivered')
          log?.warn({ alertId: due.alertId, outcome }, 'price alert webhook not delivered');
      }),
    );
    attempted += batch.length;
  }
  return attempted;
}

/** Polls the alert outbox every `intervalMs`; any number of these may run. */
export class WebhookWorker {
  readonly #timer: NodeJS.Timeout;
  #running: Promise<unknown> = Promise.resolve();

  constructor(log: Logger, intervalMs = 2_000) {
    this.#timer = setInterval(() => {
      this.#running = this.#running.then(() =>
        deliverDueWebhooks(log).catch((error) => log.error({ err: error }, 'price alert webhooks failed')),
      );
    }, intervalMs);
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }
}
