/** Bookmarks in the Singer state shape: `{bookmarks: {<stream>: {replication_key, replication_key_value}}, currently_syncing}`. */
import * as v from "valibot";
import { InputError } from "../errors.ts";
import type { State } from "./types.ts";

const StateSchema = v.object({
  bookmarks: v.optional(
    v.record(
      v.string(),
      v.looseObject({
        replication_key: v.optional(v.string()),
        replication_key_value: v.optional(v.union([v.string(), v.number()])),
      }),
    ),
    {},
  ),
  currently_syncing: v.optional(v.nullable(v.string())),
});

/** An empty state. */
export function emptyState(): State {
  return { bookmarks: {} };
}

/** Validates a state object (from a file or a host); throws InputError naming the source. */
export function parseState(input: unknown, source: string): State {
  // Hosts sometimes wrap the state in {"value": …} (Meltano's state backends do).
  const unwrapped = input && typeof input === "object" && "value" in input && !("bookmarks" in input)
    ? (input as { value: unknown }).value
    : input;
  const result = v.safeParse(StateSchema, unwrapped ?? {});
  if (!result.success) {
    const issue = result.issues[0];
    const where = issue.path?.map((p) => p.key).join(".") ?? "";
    throw new InputError(`state ${source} is not a valid Singer state${where ? ` at '${where}'` : ""}: ${issue.message}`);
  }
  const state = result.output as State;
  for (const bookmark of Object.values(state.bookmarks)) {
    if (typeof bookmark.replication_key_value === "number") bookmark.replication_key_value = String(bookmark.replication_key_value);
  }
  return state;
}

/** A deep copy, so that a yielded state cannot change under its consumer. */
export function cloneState(state: State): State {
  return structuredClone(state);
}

/** The later of two timestamps (either may be undefined). */
export function laterInstant(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}
