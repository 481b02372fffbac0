/** One attempt to deliver a notification to a merchant's notify_url. */
export interface Delivery {
  /** The payment it is about (out_trade_no). */
  outTradeNo: string;
  url: string;
  attempt: number;
  /** The merchant's HTTP status, or null when the request itself failed. */
  status: number | null;
  /** The merchant's answer (cut to 2 KB), or the network error. */
  response: string;
  accepted: boolean;
  at: Date;
}

export interface Outgoing {
  outTradeNo: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * Delivers notifications the way both gateways do: POST, read the answer, and try again later
 * until the merchant acknowledges (Alipay: the text "success"; WeChat Pay: a 2xx). The real
 * gateways retry for a day or more; the sandbox keeps the schedule short and configurable.
 */
export class Notifier {
  readonly deliveries: Delivery[] = [];
  readonly #pending = new Set<Promise<void>>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #closed = false;

  constructor(
    private readonly retryDelaysMs: readonly number[],
    private readonly isAccepted: (status: number, body: string) => boolean,
  ) {}

  /** Sends now and, unless told not to, retries in the background; resolves with the first attempt. */
  send(message: Outgoing, retry = true): Promise<Delivery> {
    return new Promise((resolveFirst) => {
      const run = (async () => {
        for (let attempt = 1; ; attempt++) {
          const delivery = await this.#attempt(message, attempt);
          if (attempt === 1) resolveFirst(delivery);
          const delay = this.retryDelaysMs[attempt - 1];
          if (delivery.accepted || !retry || delay === undefined || this.#closed) return;
          await new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
              this.#timers.delete(timer);
              resolve();
            }, delay);
            this.#timers.add(timer);
          });
          if (this.#closed) return;
        }
      })();
      this.#pending.add(run);
      void run.finally(() => this.#pending.delete(run));
    });
  }

  /** Resolves when every notification is acknowledged or out of retries. */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  async #attempt(message: Outgoing, attempt: number): Promise<Delivery> {
    let status: number | null = null;
    let response: string;
    try {
      const answer = await fetch(message.url, {
        method: 'POST',
        headers: message.headers,
        body: message.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(10_000),
      });
      status = answer.status;
      response = (await answer.text()).slice(0, 2048);
    } catch (error) {
      response = error instanceof Error ? error.message : String(error);
    }
    const delivery: Delivery = {
      outTradeNo: message.outTradeNo,
      url: message.url,
      attempt,
      status,
      response,
      accepted: status !== null && this.isAccepted(status, response),
      at: new Date(),
    };
    this.deliveries.push(delivery);
    return delivery;
  }
}
