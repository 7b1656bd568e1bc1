/**
 * Running several async readers at once with bounded memory. `mergeByArrival` yields the items
 * of up to `concurrency` readers in the order they arrive (the partitions of one stream);
 * `readAhead` yields readers one after another, each whole, while the next ones already read
 * into bounded buffers (the streams of a run: a destination sees one stream at a time).
 * Every reader pauses when its buffer is full, so at most `buffer` items per running reader
 * wait in memory. The first failure ends the merge and stops the other readers.
 */

/** Options of a merge. */
export interface MergeOptions {
  /** Readers running at once. */
  concurrency: number;
  /** Items a reader may have produced and not yet handed over before it pauses (counted by `weight`). */
  buffer: number;
  /** What an item counts against the buffer (default 1): small events may count 0. */
  weight?: (item: unknown) => number;
  /** Room each reader waits for before each item it reads (shared by the readers; see backlog.ts). */
  gate?: Gate;
}

/** Room readers wait for before reading an item: a bound shared by several readers. */
export interface Gate {
  /** Waits for room for one item; false when `signal` ended the wait (the reader is stopped). */
  enter(signal: AbortSignal): Promise<boolean>;
  /** The read `enter` made room for is over: the item read, or undefined (the end, a failure). */
  leave(item: unknown): void;
}

/** One reader pumping into a bounded buffer. */
class Pump<T> {
  readonly items: T[] = [];
  #held = 0;
  done = false;
  error: { error: unknown } | undefined;
  #resumeProducer: (() => void) | undefined;
  readonly #iterator: AsyncIterator<T>;
  #stopped = false;
  /** Ends a wait at the gate when the reader is stopped. */
  readonly #stopping = new AbortController();

  constructor(
    source: AsyncIterable<T>,
    readonly buffer: number,
    readonly notify: () => void,
    readonly weight: (item: unknown) => number = () => 1,
    readonly gate?: Gate,
  ) {
    this.#iterator = source[Symbol.asyncIterator]();
  }

  /** Reads until the source ends or fails, pausing while the buffer is full. */
  async run(): Promise<void> {
    try {
      for (;;) {
        while (this.#held >= this.buffer && !this.#stopped) await new Promise<void>((r) => (this.#resumeProducer = r));
        if (this.#stopped) return;
        if (this.gate && !(await this.gate.enter(this.#stopping.signal))) return;
        let next: IteratorResult<T> | undefined;
        try {
          next = await this.#iterator.next();
        } finally {
          this.gate?.leave(next && !next.done ? next.value : undefined);
        }
        if (next.done || this.#stopped) break;
        this.items.push(next.value);
        this.#held += this.weight(next.value);
        this.notify();
      }
    } catch (error) {
      this.error = { error };
    }
    this.done = true;
    this.notify();
  }

  /** What the buffered items count against the buffer. */
  get held(): number {
    return this.#held;
  }

  /** Takes the oldest buffered item (the producer may go on). */
  take(): T | undefined {
    const item = this.items.shift();
    if (item !== undefined) this.#held -= this.weight(item);
    const resume = this.#resumeProducer;
    this.#resumeProducer = undefined;
    resume?.();
    return item;
  }

  /** Stops the reader (its generator's `finally` blocks run). */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#stopping.abort();
    this.#resumeProducer?.();
    await this.#iterator.return?.(undefined)?.catch(() => {});
  }
}

/** A signal the consumer waits on until some pump has news. */
class Signal {
  #waiter: (() => void) | undefined;
  #pending = false;
  readonly notify = () => {
    this.#pending = true;
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.();
  };
  async wait(): Promise<void> {
    if (!this.#pending) await new Promise<void>((r) => (this.#waiter = r));
    this.#pending = false;
  }
}

/** Yields the items of every source as they arrive, with at most `concurrency` sources running. */
export async function* mergeByArrival<T>(sources: Iterable<() => AsyncIterable<T>>, options: MergeOptions): AsyncGenerator<T> {
  const pending = [...sources];
  const signal = new Signal();
  const running: Pump<T>[] = [];
  const arrivals: Pump<T>[] = [];
  const start = () => {
    while (running.length < options.concurrency && pending.length > 0) {
      const make = pending.shift()!;
      const pump = new Pump<T>(make(), options.buffer, () => {
        arrivals.push(pump);
        signal.notify();
      }, options.weight, options.gate);
      running.push(pump);
      void pump.run();
    }
  };
  try {
    start();
    while (running.length > 0) {
      await signal.wait();
      // Arrival order across readers: each notification is one item (or the end) of one reader.
      while (arrivals.length > 0) {
        const pump = arrivals.shift()!;
        if (pump.items.length > 0) {
          yield pump.take()!;
          continue;
        }
        if (!pump.done) continue;
        if (pump.error) throw pump.error.error;
        const at = running.indexOf(pump);
        if (at >= 0) {
          running.splice(at, 1);
          start();
        }
      }
    }
  } finally {
    await Promise.all(running.map((p) => p.stop()));
  }
}

/**
 * Yields each source whole, in order, while the following ones already read ahead into their
 * buffers: up to `concurrency` sources reading at once. A source that has read to its end no
 * longer holds a reading place (a small stream read whole waits in its buffer while the next
 * one reads), as long as what such sources hold in all stays under what the reading ones may
 * (`concurrency × buffer`).
 */
export async function* readAhead<T>(sources: Iterable<() => AsyncIterable<T>>, options: MergeOptions): AsyncGenerator<T> {
  const pending = [...sources];
  const signal = new Signal();
  const queue: Pump<T>[] = [];
  let closed = false;
  const start = (): void => {
    for (;;) {
      if (closed) return;
      let reading = 0;
      let waiting = 0;
      for (const pump of queue) {
        if (pump.done) waiting += pump.held;
        else reading++;
      }
      if (pending.length === 0 || reading >= options.concurrency || waiting >= options.concurrency * options.buffer) return;
      // A factory that throws fails its source in turn, as a read would (never a source quietly missing).
      const factory = pending.shift()!;
      let source: AsyncIterable<T>;
      try {
        source = factory();
      } catch (error) {
        source = (async function* () {
          throw error;
        })();
      }
      const pump = new Pump<T>(source, options.buffer, signal.notify, options.weight, options.gate);
      queue.push(pump);
      // Read to its end, it gives its reading place to the next source (whether or not the consumer is asking).
      void pump.run().then(start);
    }
  };
  try {
    for (;;) {
      start();
      const head = queue[0];
      if (!head) break;
      if (head.items.length > 0) {
        yield head.take()!;
        continue;
      }
      if (head.done) {
        if (head.error) throw head.error.error;
        queue.shift();
        continue;
      }
      await signal.wait();
    }
  } finally {
    closed = true;
    await Promise.all(queue.map((p) => p.stop()));
  }
}

/**
 * Starts `begin(item)` for each item of `source` as soon as it arrives — in source order, so
 * the caller's bookkeeping sees the items in order — and yields the results in that same
 * order, each once it and every one before it are done. The source is read on while earlier
 * items finish and while the consumer handles what was yielded, up to `limit` items begun and
 * not yet yielded. A failure is thrown in its turn (after the results before it); a failed
 * source or an early return closes the source.
 */
export async function* inOrder<T, R>(source: AsyncIterable<T>, begin: (item: T) => Promise<R>, limit: number): AsyncGenerator<R> {
  const iterator = source[Symbol.asyncIterator]();
  const started: { work: Promise<R>; settled: boolean }[] = [];
  const signal = new Signal();
  let reading = false;
  let ended = false;
  let closed = false;
  let failure: { error: unknown } | undefined;
  const pull = (): void => {
    if (reading || ended || closed || failure || started.length >= limit) return;
    reading = true;
    iterator.next().then((next) => {
      reading = false;
      if (closed) return;
      if (next.done) ended = true;
      else {
        const entry = { work: begin(next.value), settled: false };
        entry.work.then(() => {}, () => {}).finally(() => {
          entry.settled = true;
          signal.notify();
        });
        started.push(entry);
        pull();
      }
      signal.notify();
    }, (error) => {
      reading = false;
      failure = { error };
      signal.notify();
    });
  };
  try {
    pull();
    for (;;) {
      const head = started[0];
      if (head?.settled) {
        started.shift();
        pull();
        yield await head.work;
        continue;
      }
      if (!head && failure) throw failure.error;
      if (!head && ended) return;
      await signal.wait();
    }
  } finally {
    closed = true;
    await iterator.return?.(undefined)?.catch(() => {});
  }
}

/** Runs tasks with at most `limit` running at once, first come first served, across any number of `all` calls. */
export class TaskPool {
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  /** Runs one task when a place is free. */
  async run(task: () => Promise<void>): Promise<void> {
    if (this.#running >= this.limit) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#running++;
    try {
      await task();
    } finally {
      // The place passes straight to the next waiting task (no one slips in between).
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    }
  }

  /** Runs the tasks through the pool; resolves when all are done, rejects with the first failure. */
  async all(tasks: (() => Promise<void>)[]): Promise<void> {
    await Promise.all(tasks.map((task) => this.run(task)));
  }
}
