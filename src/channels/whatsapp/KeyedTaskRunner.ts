/**
 * Runs tasks one at a time per key, in arrival order (one user's messages never overtake each other), and
 * different keys in parallel up to a limit, taking keys in turn so one chatty user cannot starve the others.
 * Each task's own promise settles with it, so a caller can wait for the tasks it started.
 */
export class KeyedTaskRunner {
  private readonly waiting = new Map<string, (() => Promise<void>)[]>();
  /** Keys with waiting tasks and nothing running, in the order they get a turn. */
  private readonly ready: string[] = [];
  private readonly runningKeys = new Set<string>();
  private count = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly concurrency: number) {}

  /** Tasks waiting or running. */
  get size(): number {
    return this.count;
  }

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    this.count += 1;
    return new Promise<T>((resolve, reject) => {
      const wrapped = () => task().then(resolve, reject);
      let tasks = this.waiting.get(key);
      if (!tasks) {
        tasks = [];
        this.waiting.set(key, tasks);
        if (!this.runningKeys.has(key)) this.ready.push(key);
      }
      tasks.push(wrapped);
      this.pump();
    });
  }

  /** Resolves when nothing is waiting or running. */
  whenIdle(): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.runningKeys.size < this.concurrency && this.ready.length > 0) {
      const key = this.ready.shift() as string;
      const task = this.waiting.get(key)?.shift() as () => Promise<void>;
      this.runningKeys.add(key);
      void task().finally(() => this.finish(key));
    }
  }

  private finish(key: string): void {
    this.count -= 1;
    this.runningKeys.delete(key);
    if (this.waiting.get(key)?.length) this.ready.push(key);
    else this.waiting.delete(key);
    this.pump();
    if (this.count > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
