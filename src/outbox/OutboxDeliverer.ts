import type { Logger } from '../logging/createLogger';
import { errorFields } from '../logging/errorFields';
import type { OutboxEntry, OutboxStore } from './outboxStore';

/** What became of one delivery attempt. `code` is the channel's error code (0 when no answer came). */
export type DeliveryOutcome = { readonly ok: true } | { readonly ok: false; readonly code: number; readonly retryable: boolean };

export interface OutboxDelivererOptions {
  readonly channel: string;
  readonly store: OutboxStore;
  /** Hands one entry to the channel; never throws for an expected failure. */
  readonly send: (entry: OutboxEntry) => Promise<DeliveryOutcome>;
  readonly logger: Logger;
  readonly clock?: () => number;
  /** Recipients served at the same time. */
  readonly concurrency?: number;
  /** Entries held in memory at most; the rest wait in the store and are read back as these go out. */
  readonly memoryLimit?: number;
  /** Wait before retrying a recipient whose entry failed with a retryable error, by attempt (1, 2…). */
  readonly retryDelayMs?: (attempt: number) => number;
  /** An entry still undelivered this long after it was written is dropped (and the drop logged). */
  readonly maxAgeMs?: number;
}

const READ_RETRY_MS = 1000;
const DEFAULT_RETRY_DELAY = (attempt: number) => Math.min(60_000, 1000 * 2 ** (attempt - 1));

/**
 * Delivers the outbox: each recipient's entries one at a time in the order they were written, recipients in
 * parallel up to a limit. An entry is removed from the store once the channel took it (or refused it for
 * good); a retryable failure holds that recipient's queue and retries it with backoff, so nothing is skipped
 * and nothing overtakes. New entries arrive from commits (`accept`); what is in the store and not in memory
 * (after a restart, or beyond the memory limit) is read back in order.
 *
 * A crash between the channel taking an entry and its removal sends that one entry again after the
 * restart: at least once, never lost. The window is one send per recipient in flight.
 */
export class OutboxDeliverer {
  private readonly queues = new Map<string, OutboxEntry[]>();
  /** Recipients with entries to send and nothing in flight or waiting for a retry, in turn order. */
  private readonly ready: string[] = [];
  private readonly busy = new Set<string>();
  private readonly retryTimers = new Map<string, NodeJS.Timeout>();
  private readonly attempts = new Map<string, number>();
  /** Ids queued or in flight: what a read-back must not queue twice. */
  private readonly known = new Set<string>();
  /** Entries may be in the store and not in memory: read them back before taking new ones directly. */
  private backlog = true;
  private reading = false;
  /** A commit arrived while reading back: read again, it may have been written after the read. */
  private missedWhileReading = false;
  private closing = false;
  private idleWaiters: (() => void)[] = [];
  private readonly clock: () => number;
  private readonly concurrency: number;
  private readonly memoryLimit: number;
  private readonly retryDelayMs: (attempt: number) => number;
  private readonly maxAgeMs: number;

  constructor(private readonly options: OutboxDelivererOptions) {
    this.clock = options.clock ?? Date.now;
    this.concurrency = options.concurrency ?? 8;
    this.memoryLimit = Math.max(2, options.memoryLimit ?? 1000);
    this.retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY;
    this.maxAgeMs = options.maxAgeMs ?? 24 * 60 * 60_000;
  }

  /** Entries queued, in flight or waiting for a retry (those still only in the store are not counted). */
  get pending(): number {
    return this.known.size;
  }

  /** Starts delivering what the store holds (left by a previous run). */
  start(): void {
    this.readBack();
  }

  /** Entries just committed. Kept in memory and sent in turn, unless older ones are still in the store. */
  accept(entries: readonly OutboxEntry[]): void {
    if (entries.length === 0 || this.closing) return;
    if (this.reading) this.missedWhileReading = true;
    if (this.backlog || this.known.size + entries.length > this.memoryLimit) {
      // Read back only once memory has room for many: each read then brings at least half a limit's worth.
      this.backlog = true;
      if (this.known.size <= this.memoryLimit / 2) this.readBack();
      return;
    }
    for (const entry of entries) this.enqueue(entry);
    this.pump();
  }

  /** Resolves when nothing is queued, in flight, waiting for a retry or left in the store to read back. */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stops starting sends: waits up to `drainMs` for what is queued to go out, then for the sends in flight.
   * What is left stays in the store for the next start.
   */
  async close(drainMs = 0): Promise<void> {
    if (drainMs > 0 && !this.isIdle()) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.whenIdle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, drainMs)))]);
      clearTimeout(timer);
    }
    this.closing = true;
    for (const timer of this.retryTimers.values()) clearTimeout(timer);
    this.retryTimers.clear();
    while (this.busy.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  private isIdle(): boolean {
    return this.known.size === 0 && !this.backlog && !this.reading;
  }

  private enqueue(entry: OutboxEntry): void {
    if (this.known.has(entry.id)) return;
    this.known.add(entry.id);
    let queue = this.queues.get(entry.orderKey);
    if (!queue) {
      queue = [];
      this.queues.set(entry.orderKey, queue);
      if (!this.busy.has(entry.orderKey) && !this.retryTimers.has(entry.orderKey)) this.ready.push(entry.orderKey);
    }
    queue.push(entry);
  }

  private pump(): void {
    while (!this.closing && this.busy.size < this.concurrency && this.ready.length > 0) {
      const key = this.ready.shift() as string;
      const entry = this.queues.get(key)?.[0];
      if (!entry) continue;
      this.busy.add(key);
      void this.deliver(key, entry).finally(() => {
        this.busy.delete(key);
        const queue = this.queues.get(key);
        if (queue?.length && !this.retryTimers.has(key)) this.ready.push(key);
        else if (!queue?.length) this.queues.delete(key);
        if (this.backlog && this.known.size <= this.memoryLimit / 2) this.readBack();
        this.pump();
        this.settle();
      });
    }
  }

  private async deliver(key: string, entry: OutboxEntry): Promise<void> {
    let outcome: DeliveryOutcome;
    if (this.clock() - entry.createdAt > this.maxAgeMs) {
      this.options.logger.warn({ channel: this.options.channel, ageMinutes: Math.round((this.clock() - entry.createdAt) / 60_000) }, 'undelivered reply dropped: too old');
      outcome = { ok: true };
    } else {
      try {
        outcome = await this.options.send(entry);
      } catch (err) {
        this.options.logger.error({ channel: this.options.channel, err: errorFields(err) }, 'reply delivery failed');
        outcome = { ok: false, code: 0, retryable: true };
      }
    }
    if (!outcome.ok && outcome.retryable) {
      const attempt = (this.attempts.get(entry.id) ?? 0) + 1;
      this.attempts.set(entry.id, attempt);
      if (this.closing) return;
      this.retryTimers.set(
        key,
        setTimeout(() => {
          this.retryTimers.delete(key);
          this.ready.push(key);
          this.pump();
        }, this.retryDelayMs(attempt)),
      );
      return;
    }
    if (!outcome.ok) this.options.logger.warn({ channel: this.options.channel, code: outcome.code }, 'reply refused by the channel: dropped');
    try {
      await this.options.store.remove(entry.id);
    } catch (err) {
      // Sent but still stored: it would go out again after a restart, so say so.
      this.options.logger.error({ channel: this.options.channel, err: errorFields(err) }, 'delivered reply could not be removed from the outbox');
    }
    this.queues.get(key)?.shift();
    this.known.delete(entry.id);
    this.attempts.delete(entry.id);
  }

  /** Reads back entries left in the store, oldest first, skipping those already in memory. */
  private readBack(): void {
    if (this.reading || this.closing) return;
    this.reading = true;
    this.missedWhileReading = false;
    let failed = false;
    void this.options.store
      .pending(this.options.channel, this.memoryLimit)
      .then(
        (entries) => {
          for (const entry of entries) this.enqueue(entry);
          this.backlog = entries.length >= this.memoryLimit || this.missedWhileReading;
        },
        (err: unknown) => {
          failed = true;
          this.options.logger.error({ channel: this.options.channel, err: errorFields(err) }, 'outbox could not be read: retrying');
        },
      )
      .finally(() => {
        this.reading = false;
        if (failed) {
          const retry = setTimeout(() => this.readBack(), READ_RETRY_MS);
          retry.unref();
        } else if (this.backlog && this.known.size <= this.memoryLimit / 2) {
          this.readBack();
        }
        this.pump();
        this.settle();
      });
  }

  private settle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
