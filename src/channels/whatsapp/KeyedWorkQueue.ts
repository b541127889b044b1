export interface KeyedWorkQueueOptions<T> {
  /** Items accepted and not yet finished (waiting, running or reserved), at most. */
  readonly capacity: number;
  /** Keys worked on at the same time, at most. */
  readonly concurrency: number;
  readonly work: (item: T) => Promise<void>;
  /** Called with a failed item's error; the queue carries on. */
  readonly onError: (error: unknown, item: T) => void;
}

/** Room held for items about to be pushed: push them, then release what is left. */
export interface Reservation<T> {
  push(key: string, item: T): void;
  release(): void;
}

/**
 * A bounded in-memory work queue that runs items one at a time per key, in arrival order (one user's
 * messages never overtake each other), and different keys in parallel up to a limit, taking keys in turn
 * so one chatty user cannot starve the others. Room is reserved before an item is accepted, so a caller
 * can refuse work (HTTP 503) before promising anything, even when accepting takes an asynchronous step.
 */
export class KeyedWorkQueue<T> {
  private readonly waiting = new Map<string, T[]>();
  /** Keys with waiting items and nothing running, in the order they get a turn. */
  private readonly ready: string[] = [];
  private readonly runningKeys = new Set<string>();
  private reserved = 0;
  private queued = 0;
  private closing = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: KeyedWorkQueueOptions<T>) {}

  /** Items accepted and not finished, plus room reserved. */
  get size(): number {
    return this.reserved + this.queued + this.runningKeys.size;
  }

  get accepting(): boolean {
    return !this.closing;
  }

  /** Whether `count` more items would be accepted now. */
  hasRoom(count: number): boolean {
    return !this.closing && this.size + count <= this.options.capacity;
  }

  /** Room for `count` items, or undefined when that would exceed the capacity or the queue is closing. */
  reserve(count: number): Reservation<T> | undefined {
    if (!this.hasRoom(count)) return undefined;
    this.reserved += count;
    let left = count;
    return {
      push: (key, item) => {
        if (left <= 0) throw new Error('reservation exhausted');
        left -= 1;
        this.reserved -= 1;
        this.enqueue(key, item);
      },
      release: () => {
        this.reserved -= left;
        left = 0;
        this.settle();
      },
    };
  }

  /** Stops taking new work and resolves once everything accepted has been worked. */
  close(): Promise<void> {
    this.closing = true;
    return this.whenIdle();
  }

  /** Resolves when nothing is waiting, running or reserved. */
  whenIdle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private enqueue(key: string, item: T): void {
    let items = this.waiting.get(key);
    if (!items) {
      items = [];
      this.waiting.set(key, items);
      if (!this.runningKeys.has(key)) this.ready.push(key);
    }
    items.push(item);
    this.queued += 1;
    this.pump();
  }

  private pump(): void {
    while (this.runningKeys.size < this.options.concurrency && this.ready.length > 0) {
      const key = this.ready.shift() as string;
      const item = this.waiting.get(key)?.shift() as T;
      this.queued -= 1;
      this.runningKeys.add(key);
      void this.run(key, item);
    }
  }

  private async run(key: string, item: T): Promise<void> {
    try {
      await this.options.work(item);
    } catch (err) {
      try {
        this.options.onError(err, item);
      } catch {
        // A failing error reporter must not stall the queue.
      }
    }
    this.runningKeys.delete(key);
    if (this.waiting.get(key)?.length) this.ready.push(key);
    else this.waiting.delete(key);
    this.pump();
    this.settle();
  }

  private settle(): void {
    if (this.size > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
