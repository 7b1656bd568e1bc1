/** Bookmarks in the Singer state shape: `{bookmarks: {<stream>: {replication_key, replication_key_value}}, currently_syncing}`. */
import * as v from "valibot";
import { InputError } from "../errors.ts";
import type { State, StreamBookmark } from "./types.ts";

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
  for (const [stream, bookmark] of Object.entries(state.bookmarks)) {
    if (typeof bookmark.replication_key_value === "number") bookmark.replication_key_value = String(bookmark.replication_key_value);
    const value = bookmark.replication_key_value;
    // Every cursor is a timestamp: a value that is not one would fail the run half-way.
    if (value !== undefined && Number.isNaN(Date.parse(value))) {
      throw new InputError(`state ${source}: the bookmark of stream '${stream}' has replication_key_value ${JSON.stringify(value)}, not a date-time`);
    }
  }
  return state;
}

/** A deep copy, so that a yielded state cannot change under its consumer. */
export function cloneState(state: State): State {
  return structuredClone(state);
}

/** Bookmarks keep the keys of the records at their value up to this many (beyond it, resuming re-reads those few records). */
const MAX_BOUNDARY_KEYS = 1000;

/**
 * A stream's cursor high-water mark and the keys of the records that carry it. Cursor
 * filters are inclusive, so a later run would re-read the records at the bookmark; the
 * keys let it skip exactly those it already emitted.
 */
export class CursorMark {
  #ms = -Infinity;
  #keys = new Set<string>();
  readonly #startMs: number;
  readonly #startKeys: ReadonlySet<string>;

  constructor(bookmark: StreamBookmark | undefined) {
    const value = bookmark?.replication_key_value;
    this.#startMs = value === undefined ? NaN : Date.parse(String(value));
    const keys = Array.isArray(bookmark?.boundary_keys) ? (bookmark!.boundary_keys as unknown[]).map(String) : [];
    this.#startKeys = new Set(keys);
    if (!Number.isNaN(this.#startMs)) {
      this.#ms = this.#startMs;
      this.#keys = new Set(keys);
    }
  }

  /** True when a previous run already emitted this record (it sits at the bookmark with a known key). */
  alreadyEmitted(cursorValue: unknown, key: string): boolean {
    return typeof cursorValue === "string" && Date.parse(cursorValue) === this.#startMs && this.#startKeys.has(key);
  }

  /** Takes a record's cursor value into account. */
  advance(cursorValue: unknown, key: string): void {
    if (typeof cursorValue !== "string" || cursorValue === "") return;
    const ms = Date.parse(cursorValue);
    if (Number.isNaN(ms) || ms < this.#ms) return;
    if (ms > this.#ms) {
      this.#ms = ms;
      this.#keys = new Set();
    }
    this.#keys.add(key);
  }

  /** True once any record (or the starting bookmark) set a value. */
  get hasValue(): boolean {
    return Number.isFinite(this.#ms);
  }

  /** The bookmark for `replicationKey` at the mark. */
  toBookmark(replicationKey: string): StreamBookmark {
    const bookmark: StreamBookmark = { replication_key: replicationKey, replication_key_value: new Date(this.#ms).toISOString() };
    if (this.#keys.size > 0 && this.#keys.size <= MAX_BOUNDARY_KEYS) bookmark.boundary_keys = [...this.#keys].sort();
    return bookmark;
  }
}
