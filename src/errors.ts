/** Errors that carry their exit code: 2 for bad input, 1 for runtime failures. */

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

/** The exit code an error maps to. */
export function exitCodeOf(error: unknown): number {
  return error instanceof InputError ? 2 : 1;
}
