/**
 * Collects items from concurrent callers and writes them in one call: each `add` resolves
 * when the batch holding its item has been written, or rejects with the batch's error.
 */
export class Batcher<T, R> {
  #items: Array<{ item: T; resolve(result: R): void; reject(error: unknown): void }> = [];
  #timer: NodeJS.Timeout | undefined;
  #inFlight = new Set<Promise<void>>();

  constructor(
    private readonly write: (items: T[]) => Promise<R>,
    private readonly options: { maxSize: number; maxWaitMs: number },
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#items.push({ item, resolve, reject });
      if (this.#items.length >= this.options.maxSize) this.flush();
      else this.#timer ??= setTimeout(() => this.flush(), this.options.maxWaitMs);
    });
  }

  /** Writes what is pending now. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#items.length === 0) return;
    const batch = this.#items;
    this.#items = [];
    const done = this.write(batch.map((entry) => entry.item)).then(
      (result) => {
        for (const entry of batch) entry.resolve(result);
      },
      (error: unknown) => {
        for (const entry of batch) entry.reject(error);
      },
    );
    this.#inFlight.add(done);
    void done.finally(() => this.#inFlight.delete(done));
  }

  /** Flushes and waits for every write in flight. */
  async drain(): Promise<void> {
    this.flush();
    await Promise.all(this.#inFlight);
  }
}
