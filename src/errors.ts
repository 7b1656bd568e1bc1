/** Errors that carry their exit code: 2 for bad input, 1 for runtime failures, 130/143 for interrupts. */

/** Bad input (config, catalog, state, arguments, limits): exit code 2, raised before anything is written. */
export class InputError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

/** A failure at run time (API, network, destination) after retries: exit code 1. */
export class RuntimeFailure extends Error {
  readonly exitCode = 1;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RuntimeFailure";
  }
}

/** The signals that interrupt a run, and their exit codes (128 + the signal's number). */
export const INTERRUPT_SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const;
/** A signal that interrupts a run. */
export type InterruptSignal = keyof typeof INTERRUPT_SIGNALS;

/** The run was stopped by SIGINT or SIGTERM (what was read is committed first): exit 130 or 143. */
export class Interrupted extends Error {
  readonly exitCode: number;
  constructor(readonly signal: InterruptSignal) {
    super(`interrupted by ${signal}`);
    this.name = "Interrupted";
    this.exitCode = INTERRUPT_SIGNALS[signal];
  }
}

/** The exit code an error maps to. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof Interrupted) return error.exitCode;
  return error instanceof InputError ? 2 : 1;
}
