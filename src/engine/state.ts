/**
 * Bookmarks in the Singer state shape: `{version, bookmarks: {<stream>: {replication_key,
 * replication_key_value, boundary_keys}}, currently_syncing}`. Every selected stream has a
 * bookmark of its own, child streams included (they bookmark their parent's cursor).
 */
import * as v from "valibot";
import { InputError } from "../errors.ts";
import { timestampMs } from "./columns.ts";
import { childrenOf } from "./registry.ts";
import type { State, StreamBookmark, StreamDefinition } from "./types.ts";

/**
 * The state format this release writes. 2: a bookmark per selected stream (a child stream
 * without a cursor of its own bookmarks its parent's cursor). Absent: the first release,
 * whose bookmark of a top-level stream also stood for its child streams. 3: a bookmark may
 * also list cursor windows finished beyond its value (`finished_windows`, see ledger.ts);
 * a version-2 state reads as is (it has none).
 */
export const STATE_VERSION = 3;

const StateSchema = v.object({
  version: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  store: v.optional(v.object({
    store_hash: v.string(),
    id: v.optional(v.union([v.number(), v.string()])),
    name: v.optional(v.string()),
  })),
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
  return { version: STATE_VERSION, bookmarks: {} };
}

/** Validates a state object (from a file or a host); throws InputError naming the source. */
export function parseState(input: unknown, source: string): State {
  const unwrapped = unwrap(input);
  const result = v.safeParse(StateSchema, unwrapped ?? {});
  if (!result.success) {
    const issue = result.issues[0];
    const where = issue.path?.map((p) => p.key).join(".") ?? "";
    throw new InputError(`state ${source} is not a valid Singer state${where ? ` at '${where}'` : ""}: ${issue.message}`);
  }
  const state = result.output as State;
  if (state.version !== undefined && state.version > STATE_VERSION) {
    throw new InputError(`state ${source} has version ${state.version}, written by a newer tap-bigcommerce (this one reads up to ${STATE_VERSION}): upgrade tap-bigcommerce`);
  }
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

/**
 * Hosts sometimes wrap the state: `{"value": …}` (a STATE message's payload, kept whole by
 * some Meltano state backends) or `{"singer_state": …}` (what `meltano state get` prints).
 */
function unwrap(input: unknown): unknown {
  if (!input || typeof input !== "object" || "bookmarks" in input) return input;
  if ("value" in input) return unwrap((input as { value: unknown }).value);
  if ("singer_state" in input) return unwrap((input as { singer_state: unknown }).singer_state);
  return input;
}

/**
 * The state in the current format. A first-release state (no `version`) bookmarked a
 * top-level stream for itself and its child streams together: each child stream without a
 * cursor of its own gets its parent's bookmark, so an upgrade re-reads nothing. `known`
 * (when the destination can tell) says which streams were loaded before: a stream it
 * denies gets no bookmark from its parent and a top-level stream it denies loses its own
 * (it is read from start_date).
 */
export function upgradeState(state: State, registry: readonly StreamDefinition[], known?: (stream: string) => boolean): State {
  if (state.version !== undefined) {
    if (state.version > STATE_VERSION) throw new InputError(`the stored state has version ${state.version}, written by a newer tap-bigcommerce (this one reads up to ${STATE_VERSION})`);
    // Version 2 differs only by lacking `finished_windows`: the same bookmarks, now version 3.
    return state.version === STATE_VERSION ? state : { ...cloneState(state), version: STATE_VERSION };
  }
  const upgraded = cloneState(state);
  upgraded.version = STATE_VERSION;
  for (const stream of registry) {
    const bookmark = state.bookmarks[stream.name];
    if (stream.parent || bookmark === undefined) continue;
    for (const child of childrenOf(registry, stream.name)) {
      if (child.cursor || upgraded.bookmarks[child.name] !== undefined || (known && !known(child.name))) continue;
      upgraded.bookmarks[child.name] = structuredClone(bookmark);
    }
    if (known && !known(stream.name)) delete upgraded.bookmarks[stream.name];
  }
  return upgraded;
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

  /**
   * True when a previous run already emitted this record: it lies before the bookmark (a
   * read that starts early, or from an older bookmark of another stream) or sits at it with
   * a known key.
   */
  alreadyEmitted(cursorValue: unknown, key: string): boolean {
    if (typeof cursorValue !== "string") return false;
    const ms = timestampMs(cursorValue);
    return ms < this.#startMs || (ms === this.#startMs && this.#startKeys.has(key));
  }

  /** Takes a record's cursor value into account. */
  advance(cursorValue: unknown, key: string): void {
    if (typeof cursorValue !== "string" || cursorValue === "") return;
    const ms = timestampMs(cursorValue);
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

/**
 * Whether a read's cursor values arrive non-decreasing, as a list sorted by its cursor must.
 * Until they do not, a bookmark after each page cannot pass unread records.
 */
export class CursorOrder {
  #max = -Infinity;
  #sorted = true;

  /** Takes a page's cursor values in order; true when this page is the first to break the order. */
  takePage(values: readonly unknown[]): boolean {
    if (!this.#sorted) return false;
    for (const value of values) {
      const ms = typeof value === "string" ? timestampMs(value) : NaN;
      if (Number.isNaN(ms)) continue;
      if (ms < this.#max) {
        this.#sorted = false;
        return true;
      }
      this.#max = ms;
    }
    return false;
  }

  /** True while every value seen was at least the one before it. */
  get sorted(): boolean {
    return this.#sorted;
  }
}
