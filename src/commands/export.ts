/** `export`: not built yet. */
import { RuntimeFailure } from "../errors.ts";

/** Runs `export`. */
export function run(_args: string[]): Promise<number> {
  return Promise.reject(new RuntimeFailure("the export command is not available in this build yet"));
}
