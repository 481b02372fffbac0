import {
  type AddRequestsBatchedResult,
  type IRequestManager,
  Request,
  type RequestOptions,
  type RequestQueueOperationInfo,
  type Source,
} from '@crawlee/core';

/**
 * Crawlee's request manager on a crawler node: the requests BullMQ delivered, first in first
 * out. BullMQ already persists, locks, deduplicates and retries every URL, so Crawlee's own
 * request queue (storage client, validation, locking and a scan of handled requests on every
 * fetch) would only repeat that work in memory on the hot path.
 */
export class DeliveryQueue implements IRequestManager {
  #pending: Request[] = [];
  #head = 0;
  #inProgress = 0;
  #handled = 0;
  #total = 0;

  /** Queues one delivered request for the crawler (call `autoscaledPool.notify()` after). */
  push(request: Request): void {
    this.#pending.push(request);
    this.#total++;
  }

  get inProgressCount(): number {
    return this.#inProgress;
  }

  async isFinished(): Promise<boolean> {
    return this.getPendingCount() === 0 && this.#inProgress === 0;
  }

  async isEmpty(): Promise<boolean> {
    return this.getPendingCount() === 0;
  }

  async handledCount(): Promise<number> {
    return this.#handled;
  }

  getTotalCount(): number {
    return this.#total;
  }

  getPendingCount(): number {
    return this.#pending.length - this.#head;
  }

  async fetchNextRequest<T extends Record<string, unknown>>(): Promise<Request<T> | null> {
    if (this.#head >= this.#pending.length) return null;
    const request = this.#pending[this.#head++]!;
    // Compacts once the consumed prefix dominates, so the array neither grows nor shifts per item.
    if (this.#head > 64 && this.#head * 2 > this.#pending.length) {
      this.#pending = this.#pending.slice(this.#head);
      this.#head = 0;
    }
    this.#inProgress++;
    return request as Request<T>;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Request> {
    for (;;) {
      const request = await this.fetchNextRequest();
      if (!request) return;
      yield request;
    }
  }

  async markRequestHandled(request: Request): Promise<RequestQueueOperationInfo> {
    this.#inProgress = Math.max(0, this.#inProgress - 1);
    this.#handled++;
    request.handledAt ??= new Date().toISOString();
    return this.#info(request, true);
  }

  async reclaimRequest(
    request: Request,
    options?: { forefront?: boolean },
  ): Promise<RequestQueueOperationInfo> {
    this.#inProgress = Math.max(0, this.#inProgress - 1);
    if (options?.forefront) this.#pending.splice(this.#head, 0, request);
    else this.#pending.push(request);
    return this.#info(request, false);
  }

  async addRequest(source: Source): Promise<RequestQueueOperationInfo> {
    const request = toRequest(source);
    this.push(request);
    return this.#info(request, false);
  }

  async addRequestsBatched(
    sources: Parameters<IRequestManager['addRequestsBatched']>[0],
  ): Promise<AddRequestsBatchedResult> {
    const added: RequestQueueOperationInfo[] = [];
    for await (const source of sources as AsyncIterable<Source | string> | Iterable<Source | string>) {
      added.push(await this.addRequest(typeof source === 'string' ? { url: source } : source));
    }
    return { addedRequests: added, waitForAllRequestsToBeAdded: Promise.resolve([]) };
  }

  #info(request: Request, handled: boolean): RequestQueueOperationInfo {
    return {
      requestId: request.id ?? request.uniqueKey,
      uniqueKey: request.uniqueKey,
      wasAlreadyPresent: false,
      wasAlreadyHandled: handled,
      forefront: false,
    };
  }
}

function toRequest(source: Source): Request {
  return source instanceof Request ? source : new Request(source as RequestOptions);
}
