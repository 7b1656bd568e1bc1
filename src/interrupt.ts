/**
 * SIGINT/SIGTERM during a run: the first one aborts the run's requests (the signal's reason is
 * an `Interrupted` error) so that the run commits what it has read and stops; a second one
 * exits at once (the DuckDB file is transactional, the Singer output line-buffered).
 */
import { INTERRUPT_SIGNALS, Interrupted, type InterruptSignal } from "./errors.ts";
import { log } from "./log.ts";

/** Watches for SIGINT/SIGTERM while a run is in progress. */
export class InterruptGuard {
  readonly #controller = new AbortController();
  readonly #handlers = new Map<InterruptSignal, () => void>();

  constructor() {
    for (const name of Object.keys(INTERRUPT_SIGNALS) as InterruptSignal[]) {
      const handler = () => this.#receive(name);
      this.#handlers.set(name, handler);
      process.on(name, handler);
    }
  }

  /** Aborted (with an `Interrupted` reason) when the first signal arrives. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The interrupt, once a signal has arrived. */
  get interrupted(): Interrupted | undefined {
    return this.#controller.signal.aborted ? this.#controller.signal.reason as Interrupted : undefined;
  }

  #receive(name: InterruptSignal): void {
    if (this.#controller.signal.aborted) {
      log.warn(`${name} again: exiting at once`);
      process.exit(INTERRUPT_SIGNALS[name]);
    }
    log.warn(`${name}: stopping; committing what was read (send it again to exit at once)`);
    this.#controller.abort(new Interrupted(name));
  }

  /** Stops watching (the default signal behaviour is back). */
  dispose(): void {
    for (const [name, handler] of this.#handlers) process.off(name, handler);
    this.#handlers.clear();
  }
}
