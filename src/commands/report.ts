/** `report`: not built yet. */
import { RuntimeFailure } from "../errors.ts";

/** Runs `report`. */
export function run(_args: string[]): Promise<number> {
  return Promise.reject(new RuntimeFailure("the report command is not available in this build yet"));
}
