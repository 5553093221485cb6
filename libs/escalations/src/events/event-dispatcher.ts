/*
 * In-process fan-out of published items to local subscribers, each with a bounded queue: a subscriber that falls
 * too far behind is dropped rather than slowing the others. No Nest imports (unit-tested alone).
 */

/** Raised to a subscriber that fell too far behind: its stream ends with this error. */
export class SubscriberTooSlowError extends Error {
  constructor(capacity: number) {
    super(`Subscription dropped: more than ${capacity} events waiting to be sent`);
  }
}

/** One local subscriber's queue: take() waits for the next item; null once closed. */
export class SubscriberQueue<T> {
  private readonly items: T[] = [];
  private waiting: { resolve: (v: T | null) => void; reject: (e: Error) => void } | null = null;
  private closed = false;
  private failure: Error | null = null;

  constructor(
    readonly accepts: (item: T) => boolean,
    private readonly capacity: number,
    private readonly onClose: (queue: SubscriberQueue<T>) => void,
  ) {}

  get size(): number {
    return this.items.length;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Hands an item over (from the dispatcher). Overflow drops the subscriber. */
  push(item: T): void {
    if (this.closed) return;
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = null;
      resolve(item);
      return;
    }
    if (this.items.length >= this.capacity) {
      this.fail(new SubscriberTooSlowError(this.capacity));
      return;
    }
    this.items.push(item);
  }

  take(): Promise<T | null> {
    if (this.items.length > 0) return Promise.resolve(this.items.shift()!);
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.resolve(null);
    if (this.waiting) return Promise.reject(new Error('SubscriberQueue: one take() at a time'));
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  /** Ends the stream: a pending take() answers null. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.items.length = 0;
    this.onClose(this);
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.resolve(null);
  }

  private fail(error: Error): void {
    // No take() is pending here (push() would have served it): the next take() rejects with the error.
    this.failure = error;
    this.close();
  }
}

/** Hands each published item to the local subscribers whose filter accepts it, in publication order. */
export class EventDispatcher<T> {
  private readonly queues = new Set<SubscriberQueue<T>>();

  constructor(private readonly capacity = 100) {}

  get subscriberCount(): number {
    return this.queues.size;
  }

  subscribe(accepts: (item: T) => boolean): SubscriberQueue<T> {
    const queue = new SubscriberQueue<T>(accepts, this.capacity, (q) => this.queues.delete(q));
    this.queues.add(queue);
    return queue;
  }

  publish(item: T): void {
    for (const queue of [...this.queues]) {
      let accepted = false;
      try {
        accepted = queue.accepts(item);
      } catch {
        accepted = false;
      }
      if (accepted) queue.push(item);
    }
  }

  closeAll(): void {
    for (const queue of [...this.queues]) queue.close();
  }
}
