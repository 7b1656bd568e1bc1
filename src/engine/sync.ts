/**
 * The sync loop, generic over the registry. For each top-level stream that is selected (or
 * has a selected child) it reads the list page by page, derives child rows (inline arrays,
 * fallbacks, sub-resources), flattens everything into table rows, and yields one `batch`
 * per page with the state that covers it.
 */
import type { Config } from "../config/load.ts";
import { InputError, RuntimeFailure } from "../errors.ts";
import { counted } from "../plural.ts";
import { registry as defaultRegistry } from "../../streams/index.ts";
import { flattenRecord, type FlattenSink, newSink } from "./flatten.ts";
import { batchEvent } from "./table-rows.ts";
import { Backlog, PAGES_HELD } from "./backlog.ts";
import { ApiClient, type ClientOptions, NotFoundError, type RequestTally, ScopeError, tallied } from "./http.ts";
import { bindState, checkStoreIdentity, IDENTITY_ENDPOINT, type StoreIdentity } from "./identity.ts";
import { addCounts, compareCounts, type Counts, noCounts, readCounts, shortfallError, Tally } from "./count-check.ts";
import { filterTimestamp as filterValue, type ListClient, type ListRequest, readPages, seeksOnCursor } from "./paginate.ts";
import { collect, fillPath, type Found, valueAt } from "./paths.ts";
import { keyOf } from "./keys.ts";
import { type CursorWindow, finishedWindows, Ledger, unfinished } from "./ledger.ts";
import { inOrder, mergeByArrival, readAhead, TaskPool } from "./merge.ts";
import { canCutWindows, inWindow, listTotal, planWindows, upperBound, WINDOWS_AT_ONCE } from "./partitions.ts";
import { channelScope, childrenOf, findStream, isRoot, listRequest, pageSizeOf } from "./registry.ts";
import { enforceTableLimit, planStream, type TablePlan, tablesOf } from "./schema.ts";
import { cloneState, CursorMark, CursorOrder, emptyState, upgradeState } from "./state.ts";
import type { StoreFieldNames } from "./store-fields.ts";
import type {
  ChildStream,
  CountCheck,
  CursorSpec,
  InlineFallback,
  PaginationStyle,
  ParentCondition,
  RootStream,
  Row,
  State,
  StreamBookmark,
  StreamDefinition,
  SyncEvent,
  TableSchema,
} from "./types.ts";

/** What to sync. */
export interface Selection {
  /** Stream names to emit. */
  streams: string[];
  /** The streams the user named (a catalog's `selected`, `--streams`): a missing scope fails the run for them. */
  named?: Set<string>;
  /** Per table, the columns to leave out (deselected fields). */
  excludedFields?: Map<string, Set<string>>;
  /** Streams forced to full-table replication (catalog `replication-method: FULL_TABLE`). */
  fullTable?: Set<string>;
  /** Split child tables not to write (deselected in the catalog). */
  excludedTables?: Set<string>;
  /** Store-specific field names the catalog's discovery found: their columns exist from the start. */
  storeFields?: StoreFieldNames;
}

/** Options of a sync. */
export interface SyncOptions {
  config: Config;
  selection: Selection;
  state?: State;
  /** Ignore bookmarks: read every stream from start_date (or from the beginning). */
  fullRefresh?: boolean;
  registry?: readonly StreamDefinition[];
  /** A client to share (its counters then cover this sync too). */
  client?: ApiClient;
  /** Overrides for the client (backoff timings in tests). */
  clientOptions?: Partial<ClientOptions>;
  log?: (message: string) => void;
  /** The store identity check's answer, when the caller already made it (else the sync makes it first). */
  identity?: StoreIdentity;
}

/** The children of a `stream-end`, as log text: `; order_taxes: 3 records, 3 requests; …` (empty without children). */
export function childrenSummary(children: Record<string, { records: number; requests: number }> | undefined): string {
  return Object.entries(children ?? {}).map(([name, c]) => `; ${name}: ${counted(c.records, "record")}, ${counted(c.requests, "request")}`).join("");
}

/** Creates the API client a config describes. */
export function clientFor(config: Config, overrides: Partial<ClientOptions> = {}): ApiClient {
  return new ApiClient({
    apiUrl: config.api_url,
    storeHash: config.store_hash,
    accessToken: config.access_token,
    clientId: config.client_id,
    timeoutSeconds: config.request_timeout,
    maxRetries: config.max_retries,
    maxConcurrency: config.max_concurrency,
    rateLimitReserve: config.rate_limit_reserve,
    ...overrides,
  });
}

/** The tables a selection creates, checked against `max_tables`. Throws InputError for an unknown stream. */
export function plannedTables(config: Config, selection: Selection, registry = defaultRegistry): TableSchema[] {
  const tables: TableSchema[] = [];
  for (const name of selection.streams) {
    const stream = findStream(registry, name);
    if (!stream) throw new InputError(`unknown stream '${name}'; known streams: ${registry.map((s) => s.name).join(", ")}`);
    const planned = tablesOf(planStream(stream, { maxNestingDepth: config.max_nesting_depth, storeFields: selection.storeFields }));
    tables.push(...planned.filter((t) => !selection.excludedTables?.has(t.name)));
  }
  enforceTableLimit(tables, config.max_tables, config.max_nesting_depth);
  return tables;
}

/** Runs a sync, yielding schema, batch and progress events. */
export async function* sync(options: SyncOptions): AsyncGenerator<SyncEvent> {
  const registry = options.registry ?? defaultRegistry;
  const { config, selection } = options;
  const selected = new Set(selection.streams);
  plannedTables(config, selection, registry);
  const client = options.client ?? clientFor(config, options.clientOptions);
  // The store first: a wrong store_hash or api_url, or a rejected token, fails here (exit 2), before any stream.
  const identity = options.identity ?? await checkStoreIdentity(client, config);
  const state = cloneState(upgradeState(options.state ?? emptyState(), registry));
  bindState(state, config, identity, "the state", "give each store a state of its own");
  const log = options.log ?? (() => {});
  const roots = registry.filter(isRoot).filter((s) => (selected.has(s.name) || childrenOf(registry, s.name).some((c) => selected.has(c.name))));
  // Each stream reads with a state of its own; the run's state takes a stream's bookmarks from
  // its batches as they are yielded, so every yielded state covers exactly what was yielded.
  const owned = new Map(roots.map((root) => [root.name, [root.name, ...childrenOf(registry, root.name).map((c) => c.name)]]));
  // What each stream's readers hold for this loop: given back as its batches are taken.
  const backlogs = new Map<string, Backlog>();
  const readers = roots.map((root) => () => {
    const run = new StreamRun(root, registry, options, client, cloneState(state), log, identity);
    backlogs.set(root.name, run.backlog);
    return tallied(run.tally, run.run());
  });
  const pagesOnly = (event: unknown) => ((event as SyncEvent).type === "batch" ? 1 : 0);
  for await (const event of readAhead(readers, { concurrency: STREAMS_AT_ONCE, buffer: PAGES_AHEAD, weight: pagesOnly })) {
    if (event.type !== "batch") {
      yield event;
      continue;
    }
    for (const name of owned.get(event.stream) ?? []) {
      const bookmark = event.state.bookmarks[name];
      if (bookmark === undefined) delete state.bookmarks[name];
      else state.bookmarks[name] = bookmark;
    }
    state.currently_syncing = event.stream;
    // A new event, not a spread: spreading would build the batch's row objects (its lazy `rows`).
    yield batchEvent(event.stream, event.tables, event.rescued, cloneState(state), event.archived);
    // The consumer has taken the batch (stored it, or written it out).
    backlogs.get(event.stream)?.release(event);
  }
  state.currently_syncing = null;
  yield batchEvent(roots.at(-1)?.name ?? "", new Map(), 0, cloneState(state));
}

/**
 * Top-level streams reading at once: the one being handed over and the next ones reading ahead
 * (most streams are a page or two: they are read while a large one is handed over, and once
 * read to their end they wait in their buffers without holding a place).
 */
const STREAMS_AT_ONCE = 16;
/** Batches a stream may read ahead of the consumer (each is one page with its children). */
const PAGES_AHEAD = 3;
/** Pages of one stream whose sub-resources may be read at once (then the list waits). */
const PAGES_IN_PROCESS = 4;

/** A count check under way: the count before the read, and what the read brought. */
interface PendingCount {
  rule: CountCheck;
  params: Record<string, string | number>;
  before: Counts;
  tally: Tally;
}

/** A cursor window's rows as its list returned them, and the API's count under the same bounds. */
interface WindowCount {
  before: Counts;
  after: Counts;
  tally: Tally;
}

/** One child stream as read during its parent's run. */
interface ChildRun {
  stream: ChildStream;
  plan: TablePlan;
  skip: Set<string>;
  /** The child's key columns taken from its parent, and the parent field each is read from. */
  parentKeys: [column: string, field: string][];
  /** The key of a child row (its record with the parent's key columns), for a child with a cursor of its own. */
  rowKey: (row: Record<string, unknown>) => string;
  /** The child's own incremental cursor (price list records), read from its bookmark. */
  since?: string;
  mark?: CursorMark;
  /** A child without a cursor of its own follows its parent's cursor with a bookmark of its own. */
  track?: Track;
  /** Records emitted and requests made for this child alone. */
  records: number;
  requests: number;
}

/**
 * A selected stream that follows its top-level stream's cursor (the stream itself, or a
 * child without a cursor of its own) and keeps a bookmark of its own on it.
 */
interface Track {
  stream: string;
  /** The bookmark it started from (restored when the pages turn out not to be in cursor order). */
  saved: StreamBookmark | undefined;
  /** Where it needs the read to start: its bookmark, else start_date; undefined: from the beginning. */
  from: string | undefined;
  /** What it has emitted, and what an earlier run did. */
  mark: CursorMark;
}

/** A best-effort list answered 404 (see `StreamDefinition.bestEffort`). */
class NotFound extends Error {}

/** The read of one top-level stream and its selected children. */
class StreamRun {
  readonly #selected: Set<string>;
  readonly #plan: TablePlan;
  readonly #children: ChildRun[];
  readonly #announced = new Map<string, string>();
  /** The stream's incremental cursor (none for a full-table read). */
  readonly #cursor: CursorSpec | undefined;
  /** The stream's own track, when it is selected and incremental. */
  readonly #track: Track | undefined;
  readonly #recordKey: (record: Record<string, unknown>) => string;
  #records = 0;
  /** Per child stream: parents whose inline rows were cut short, read from the fallback path instead (logged once, at the end). */
  readonly #fallbacks = new Map<string, { parents: number; path: string }>();
  /** The requests this stream's read made (counted apart from the other streams reading at once). */
  readonly tally: RequestTally = { requests: 0 };
  /** Known differences from the API's count, for `stream-end`. */
  readonly #differences: string[] = [];
  /** What affirmed the top-level read complete (see `stream-end`), once something did. */
  #proof: string | undefined;
  /** Sub-resource reads of this stream's pages, across pages (the throttle decides what is actually in flight). */
  readonly #pool: TaskPool;
  /** The records this stream's list reads hold until the consumer takes them, bounded: the readers wait for room. */
  readonly backlog: Backlog;

  constructor(
    readonly stream: RootStream,
    readonly registry: readonly StreamDefinition[],
    readonly options: SyncOptions,
    readonly client: ApiClient,
    readonly state: State,
    readonly log: (message: string) => void,
    readonly identity: StoreIdentity,
  ) {
    this.#selected = new Set(options.selection.streams);
    this.#pool = new TaskPool(options.config.max_concurrency);
    // The stream's own page size: where the API caps its pages below page_size, the bound is in its pages.
    const pageSize = pageSizeOf(stream, options.config.page_size);
    this.backlog = new Backlog(PAGES_HELD * pageSize, pageSize, recordsOf);
    const planOptions = { maxNestingDepth: options.config.max_nesting_depth, storeFields: options.selection.storeFields };
    this.#plan = planStream(stream, planOptions);
    this.#cursor = this.#cursorOf(stream);
    this.#recordKey = keyOf(stream.primaryKey);
    this.#track = this.#cursor && this.#emitsParent() ? this.#trackOf(stream.name) : undefined;
    this.#children = childrenOf(registry, stream.name)
      .filter((c) => this.#selected.has(c.name))
      .map((c) => {
        const source = c.parent.source;
        const since = c.cursor ? this.#bookmarkOf(c) : undefined;
        return {
          stream: c,
          plan: planStream(c, planOptions),
          skip: new Set(source.kind === "inline" ? source.omit ?? [] : []),
          parentKeys: Object.entries(c.parent.keys),
          rowKey: keyOf(c.primaryKey),
          since,
          mark: c.cursor ? new CursorMark(this.#savedBookmark(c)) : undefined,
          track: this.#cursor && !c.cursor ? this.#trackOf(c.name) : undefined,
          records: 0,
          requests: 0,
        };
      });
  }

  #emitsParent(): boolean {
    return this.#selected.has(this.stream.name);
  }

  /** The cursor a stream is read by in this run: none when it is full-table (by nature or by the catalog). */
  #cursorOf(stream: StreamDefinition): CursorSpec | undefined {
    return this.options.selection.fullTable?.has(stream.name) ? undefined : stream.cursor;
  }

  /** The stored bookmark of a stream, unless this is a full refresh. */
  #savedBookmark(stream: StreamDefinition): StreamBookmark | undefined {
    return this.options.fullRefresh || !this.#cursorOf(stream) ? undefined : this.state.bookmarks[stream.name];
  }

  /** Where an incremental read starts: the bookmark, else start_date (unless the cursor reads everything first). */
  #startFrom(saved: StreamBookmark | undefined, cursor: CursorSpec): string | undefined {
    const value = saved?.replication_key_value;
    if (value !== undefined) return String(value);
    return cursor.firstRunIgnoresStartDate ? undefined : this.options.config.start_date;
  }

  /** Where a stream's own cursor starts (undefined when it has none in this sync). */
  #bookmarkOf(stream: StreamDefinition): string | undefined {
    const cursor = this.#cursorOf(stream);
    return cursor ? this.#startFrom(this.#savedBookmark(stream), cursor) : undefined;
  }

  /** The track of a selected stream on this stream's cursor, from its own bookmark. */
  #trackOf(name: string): Track {
    const saved = this.options.fullRefresh ? undefined : this.state.bookmarks[name];
    return { stream: name, saved, from: this.#startFrom(saved, this.#cursor!), mark: new CursorMark(saved) };
  }

  /** A child with a cursor of its own needs every parent, not only the recently modified ones. */
  #readsAllParents(): boolean {
    return this.#children.some((c) => c.stream.cursor);
  }

  #tracks(): Track[] {
    const tracks = this.#children.flatMap((c) => (c.track ? [c.track] : []));
    return this.#track ? [this.#track, ...tracks] : tracks;
  }

  /**
   * Where the read starts: the oldest start any selected stream needs (a stream selected
   * for the first time needs start_date even when the others have bookmarks); undefined
   * reads from the beginning.
   */
  #readFrom(): string | undefined {
    if (!this.#cursor || this.#readsAllParents()) return undefined;
    let from: string | undefined;
    for (const track of this.#tracks()) {
      if (track.from === undefined) return undefined;
      if (from === undefined || Date.parse(track.from) < Date.parse(from)) from = track.from;
    }
    return from;
  }

  async *run(): AsyncGenerator<SyncEvent> {
    const stream = this.stream;
    const cursor = this.#cursor;
    const since = this.#readFrom();
    // A filter documented as "after this date" may leave out the records at the bound: start a second early.
    const readFrom = since !== undefined && cursor?.filterMayExclude ? new Date(Date.parse(since) - 1000).toISOString() : since;
    const order = new CursorOrder();
    this.state.currently_syncing = stream.name;
    yield { type: "stream-start", stream: stream.name, incremental: !!cursor && !this.#readsAllParents(), since };
    for (const plan of this.#tables()) yield* this.#announce(plan);

    const params = this.#parentParams(readFrom);
    const request: ListRequest = {
      ...listRequest(stream, this.options.config.page_size, params),
      seek: cursor && seeksOnCursor(stream) && !this.#readsAllParents()
        ? { field: cursor.field, filter: cursor.filter, from: readFrom, key: stream.primaryKey }
        : undefined,
      // Fan-out streams take their key from the nested rows.
      key: stream.rowsAt ? undefined : stream.primaryKey,
      log: this.log,
      affirmed: (by) => (this.#proof = by),
    };
    try {
      const planned = cursor ? await this.#plannedWindows(cursor, params, readFrom, request) : {};
      const windows = planned.windows;
      // A windowed read checks each window against the API's count, and all of them together below.
      if (cursor && windows) yield* this.#readWindows(cursor, windows, params, readFrom, request);
      // A sequential read is checked against the API's count taken before and after it.
      const count = stream.count && !windows ? await this.#countBefore(stream.count, readFrom) : undefined;
      const pages = windows ? noPages() : planned.pages ?? this.#identityPages() ?? readPages(this.#listClient(stream), request);
      // The next pages are fetched while this one's sub-resources are read and it is handed over.
      yield* this.#pipeline(this.#gated(pages), (page, sink) => {
        count?.tally.add(page);
        const fetches = this.#planPage(page, sink);
        if (cursor?.sort) {
          // A list read in cursor order can be bookmarked after every page, as long as the values seen say it is.
          if (order.takePage(page.map((r) => r[cursor.field]))) this.#unsorted(cursor);
          if (order.sorted) this.#saveTracks(cursor);
        }
        return fetches;
      });
      if (count) yield* this.#checkCount(count, await readCounts(this.client, stream.name, count.rule, count.params), request);
    } catch (error) {
      if (error instanceof NotFound) {
        this.#proof = undefined;
        this.log(`warning: ${stream.name}: ${error.message}`);
      } else {
        if (!(error instanceof ScopeError)) throw error;
        yield { type: "stream-skipped", stream: stream.name, reason: this.#scopeMessage(stream, error), fails: this.#failsWithoutScope(stream.name) };
        return;
      }
    }
    // Archived records (BigCommerce's deleted orders) modified since the bookmark, emitted with their flag set.
    if (stream.archived && cursor && readFrom !== undefined && this.#track?.saved !== undefined) yield* this.#readArchived(stream, cursor, readFrom);
    // Otherwise the bookmarks move only once the read is complete.
    if (cursor) this.#saveTracks(cursor);
    for (const child of this.#children) {
      if (child.mark?.hasValue && child.stream.cursor) this.state.bookmarks[child.stream.name] = child.mark.toBookmark(child.stream.cursor.field);
    }
    yield* this.#batch(newSink());
    for (const [child, { parents, path }] of this.#fallbacks) {
      this.log(`${child}: ${parents} ${stream.name} had more inline rows than the API returns; their rows were read from ${path}`);
    }
    const children = Object.fromEntries(this.#children.map((c) => [c.stream.name, { records: c.records, requests: c.requests }]));
    const differences = this.#differences.length > 0 ? { differences: [...this.#differences] } : {};
    const proof = this.#proof === undefined ? {} : { proof: this.#proof };
    yield { type: "stream-end", stream: stream.name, records: this.#records, requests: this.tally.requests, children, ...differences, ...proof, peakHeld: this.backlog.peak };
  }

  /** The archived records of `stream.archived` modified since `from`; a list that rejects or ignores the ask only warns. */
  async *#readArchived(stream: RootStream, cursor: CursorSpec, from: string): AsyncGenerator<SyncEvent> {
    const rule = stream.archived!;
    const ask = Object.entries(rule.params).map(([k, v]) => `${k}=${v}`).join("&");
    const params = { ...this.#parentParams(undefined), ...rule.params, [cursor.filter]: filterValue(from) };
    const fallback = "archived records are not read this run (a DuckDB load still finds them: its id sweep compares the rows it holds with the API count)";
    try {
      const pages = readPages(this.#listClient(stream), listRequest(stream, this.options.config.page_size, params));
      let ignored = false;
      const archived = (async function* () {
        for await (const page of pages) {
          if ((ignored = page.some((record) => record[rule.field] !== true))) return;
          yield page;
        }
      })();
      yield* this.#pipeline(this.#gated(archived), (page, sink) => this.#planPage(page, sink), { archived: true });
      if (ignored) this.log(`warning: ${stream.name}: the list ignored ${ask} (it answered records not archived); ${fallback}`);
    } catch (error) {
      if (!(error instanceof RuntimeFailure) || error instanceof ScopeError || !/HTTP 4\d\d/.test(error.message)) throw error;
      this.log(`warning: ${stream.name}: the list rejected ${ask} (${error.message}); ${fallback}`);
    }
  }

  /**
   * The client a list is read through: for a best-effort stream, a 404 becomes `NotFound`; for a child,
   * every request is counted as the child's.
   */
  #listClient(stream: StreamDefinition, child?: ChildRun): ListClient {
    return {
      get: async (api, path, query) => {
        if (child) child.requests++;
        try {
          return await this.client.get(api, path, query);
        } catch (error) {
          if (!(error instanceof NotFoundError) || !stream.bestEffort) throw error;
          throw new NotFound(`${api}/${path} answered 404 (the endpoint is deprecated or not available on this store); ` +
            "the stream ends with what was read");
        }
      },
    };
  }

  /**
   * The cursor windows to read the stream in, when it is large enough to cut (at least two
   * windows), every selected stream follows its cursor and the read is a large one (see
   * below); else no windows: one sequential read. A list without a count endpoint (v3) is
   * sized by the total its first page brings: that page is read as the sequential read's
   * first, and handed back as `pages` when the stream is not cut (no extra request).
   */
  async #plannedWindows(
    cursor: CursorSpec,
    params: Record<string, string | number>,
    readFrom: string | undefined,
    request: ListRequest,
  ): Promise<{ windows?: CursorWindow[]; pages?: AsyncGenerator<Record<string, unknown>[]> }> {
    const stream = this.stream;
    if (!canCutWindows(stream) || this.#readsAllParents() || this.#tracks().length === 0) return {};
    // Windows pay off for a large read: a first load (or full refresh), or the rest of a windowed one. An
    // incremental run from a bookmark reads the few records changed since, as before (no sizing requests).
    const tracks = this.#tracks();
    if (!tracks.some((t) => t.saved === undefined) && !tracks.some((t) => finishedWindows(t.saved).length > 0)) return {};
    let total: number | undefined;
    let begun: AsyncGenerator<Record<string, unknown>[]> | undefined;
    let first: IteratorResult<Record<string, unknown>[]> | undefined;
    if (!cursor.countPath) {
      const client = this.#listClient(stream);
      const observed: ListClient = {
        get: async (api, path, query) => {
          const answer = await client.get(api, path, query);
          total ??= listTotal(answer.body);
          return answer;
        },
      };
      begun = readPages(observed, request);
      first = await begun.next();
    }
    const windows = await planWindows(this.client, {
      stream,
      list: listRequest(stream, this.options.config.page_size, params),
      since: readFrom,
      until: this.options.config.end_date,
      now: Date.now(),
      finished: this.#tracks().flatMap((track) => finishedWindows(track.saved)),
      total: begun ? total ?? NaN : undefined,
    });
    if (windows.length > 1) {
      // Cut: the sequential read stops (its first page is read again by the oldest window).
      await begun?.return(undefined);
      return { windows };
    }
    return { pages: begun && first ? continued(first, begun) : undefined };
  }

  /**
   * Reads the windows at once (newest first on a first load with `recent_first`), each by its
   * own reader; their pages arrive in arrival order. Bookmarks move as windows finish, each
   * stream's to the end of its contiguous finished prefix (the ledger).
   */
  async *#readWindows(
    cursor: CursorSpec,
    windows: CursorWindow[],
    params: Record<string, string | number>,
    readFrom: string | undefined,
    request: ListRequest,
  ): AsyncGenerator<SyncEvent> {
    const books = this.#tracks().map((track) => ({ track, ledger: new Ledger(cursor.field, track.saved, windows) }));
    // A window some earlier run finished for every stream here is not read again.
    const todo = [...windows.keys()].filter((i) => books.some(({ track }) => unfinished(windows, track.saved).some((u) => u.index === i)));
    for (const i of windows.keys()) if (!todo.includes(i)) for (const { ledger } of books) ledger.finish(i);
    const firstLoad = books.every(({ track }) => track.saved === undefined);
    const order = this.options.config.recent_first && firstLoad ? [...todo].reverse() : todo;
    const tail = windows.length - 1;
    // Window 0 starts where the read does; the others at their cut (a second early for an "after" filter).
    const startOf = (index: number) =>
      index === 0 ? readFrom : cursor.filterMayExclude ? new Date(Date.parse(windows[index].from) - 1000).toISOString() : windows[index].from;
    // Windows whose list affirmed its own total (meta.pagination.total): all of them affirm the read, when no count rule does.
    let affirmed = 0;
    const readers = order.map((index) => () => this.#readWindow(cursor, windows[index], index, startOf(index), params, () => affirmed++));
    // The windows' counts and what they read, summed: the read is checked as a whole, group by group.
    const rule = this.stream.count;
    const sum = rule && { rule, params: this.#filterParams(readFrom, true), before: noCounts(), tally: new Tally(rule.groups?.field) };
    const after = noCounts();
    yield* this.#pipeline(mergeByArrival(readers, { concurrency: WINDOWS_AT_ONCE, buffer: 2, gate: this.backlog }), (piece, sink) => {
      if (piece.page) return this.#planPage(piece.page, sink);
      if (sum && piece.counted) {
        addCounts(sum.before, piece.counted.before);
        addCounts(after, piece.counted.after);
        sum.tally.merge(piece.counted.tally);
      }
      for (const { track, ledger } of books) {
        // The open-ended newest window ends at the highest value read; the others at their `to`.
        ledger.finish(piece.index, piece.index === tail && track.mark.hasValue ? track.mark.toBookmark(cursor.field) : undefined);
        const bookmark = ledger.bookmark();
        if (bookmark) this.state.bookmarks[track.stream] = bookmark;
      }
      return [];
    });
    if (sum) yield* this.#checkCount(sum, after, request);
    else if (affirmed === todo.length) this.#proof = `meta.pagination.total of each of ${counted(todo.length, "window")}`;
  }

  /**
   * One window's pages (records at or past `to` are the next window's), then its end, with the
   * rows its list returned and the API's count under the very same query bounds (so the second
   * the windows overlap on the wire is in both). A window with an end can only lose records
   * while it is read (a modified record moves to the newest window), so its count is taken
   * after the read; the open-ended newest window's before and after, like a sequential read's.
   */
  async *#readWindow(
    cursor: CursorSpec,
    window: CursorWindow,
    index: number,
    from: string | undefined,
    params: Record<string, string | number>,
    affirmed: (by: string) => void,
  ): AsyncGenerator<{ index: number; page?: Record<string, unknown>[]; counted?: WindowCount }> {
    const stream = this.stream;
    const query = { ...params };
    const rule = stream.count;
    const bounds = this.#filterParams(from, true);
    if (window.to !== undefined && cursor.upperFilter) query[cursor.upperFilter] = bounds[cursor.upperFilter] = upperBound(window.to);
    const before = rule && window.to === undefined ? await readCounts(this.client, stream.name, rule, bounds) : undefined;
    const tally = new Tally(rule?.groups?.field);
    // A list that can seek on its cursor seeks inside the window; any other is read page by page between both filters.
    const seeks = seeksOnCursor(stream);
    if (!seeks && from !== undefined) query[cursor.filter] = filterValue(from);
    const pages = readPages(this.#listClient(stream), {
      ...listRequest(stream, this.options.config.page_size, query),
      seek: seeks ? { field: cursor.field, filter: cursor.filter, from, key: stream.primaryKey } : undefined,
      key: stream.rowsAt ? undefined : stream.primaryKey,
      log: this.log,
      affirmed,
    });
    for await (const page of pages) {
      tally.add(page);
      const mine = page.filter((record) => inWindow(window, record[cursor.field], index > 0));
      if (mine.length > 0) yield { index, page: mine };
    }
    if (!rule) {
      yield { index };
      return;
    }
    const after = await readCounts(this.client, stream.name, rule, bounds);
    yield { index, counted: { before: before ?? after, after, tally } };
  }

  /**
   * The count a full read is checked against, taken before the read with the list's filters;
   * undefined when the count cannot take them (a filtered read of an `unfiltered` count).
   */
  async #countBefore(rule: CountCheck, since: string | undefined): Promise<PendingCount | undefined> {
    const params = this.#filterParams(since, true);
    if (rule.unfiltered && Object.keys(params).length > 0) return undefined;
    return { rule, params, before: await readCounts(this.client, this.stream.name, rule, params), tally: new Tally(rule.groups?.field) };
  }

  /**
   * The rows read against the count taken again after the read: a group the list never
   * returned is a named difference; a group that came up short (beyond what changed
   * meanwhile) is read once more on its own, and fails the stream if still short.
   */
  async *#checkCount(count: PendingCount, after: Counts, request: ListRequest): AsyncGenerator<SyncEvent> {
    const { rule, params, before, tally } = count;
    const name = this.stream.name;
    const verdict = compareCounts(name, rule, before, after, tally);
    for (const message of verdict.tolerated) this.log(message);
    for (const difference of verdict.differences) this.log(`warning: stream '${name}': ${difference}`);
    this.#differences.push(...verdict.differences);
    for (const short of verdict.short) {
      if (!rule.groups) throw shortfallError(name, rule, short);
      this.log(`stream '${name}': the list returned ${counted(short.read, "row")} ${short.label} of the ${short.expected} counted; reading them again`);
      const base = (await readCounts(this.client, name, rule, params)).groups.get(short.id)?.count ?? 0;
      const again = new Tally(rule.groups.field);
      const pages = readPages(this.#listClient(this.stream), { ...request, params: { ...request.params, [rule.groups.filter]: short.id } });
      yield* this.#pipeline(this.#gated(pages), (page, sink) => {
        again.add(page);
        return this.#planPage(page, sink);
      });
      const recount = (await readCounts(this.client, name, rule, params)).groups.get(short.id)?.count ?? 0;
      const reread = again.groups.get(short.id) ?? 0;
      if (reread < recount - Math.abs(recount - base)) throw shortfallError(name, rule, short, { reread, recounted: recount });
    }
    this.#proof = `${rule.api}/${rule.path} (${after.total})`;
  }

  /** Every track's bookmark at its mark. */
  #saveTracks(cursor: CursorSpec): void {
    for (const track of this.#tracks()) {
      if (track.mark.hasValue) this.state.bookmarks[track.stream] = track.mark.toBookmark(cursor.field);
    }
  }

  /** Pages not in cursor order: the bookmarks go back to where this run started them and move only at the end. */
  #unsorted(cursor: CursorSpec): void {
    this.log(
      `warning: ${this.stream.name}: the API returned ${cursor.field} values out of order, although the list is asked ` +
        `sorted by it; bookmarks of ${this.#tracks().map((t) => t.stream).join(", ")} will move only when the read is complete`,
    );
    for (const track of this.#tracks()) {
      if (track.saved === undefined) delete this.state.bookmarks[track.stream];
      else this.state.bookmarks[track.stream] = structuredClone(track.saved);
    }
  }

  /** The stream whose endpoint the identity check read: its one row is that answer (no second request). */
  #identityPages(): AsyncGenerator<Record<string, unknown>[]> | undefined {
    const stream = this.stream;
    if (stream.pagination !== "single" || stream.api !== IDENTITY_ENDPOINT.api || stream.path !== IDENTITY_ENDPOINT.path) return undefined;
    const identity = this.identity;
    const affirmed = () => (this.#proof = `${stream.api}/${stream.path} (one object)`);
    return (async function* () {
      if (!identity.readable) throw identity.scopeError;
      yield [identity.record];
      affirmed();
    })();
  }

  #tables(): TablePlan[] {
    const plans = this.#emitsParent() ? [this.#plan] : [];
    plans.push(...this.#children.map((c) => c.plan));
    return plans;
  }

  /** Schema events for a plan's tables that are new or changed since last announced. */
  *#announce(plan: TablePlan): Generator<SyncEvent> {
    for (const table of tablesOf(plan)) {
      if (this.options.selection.excludedTables?.has(table.name)) continue;
      const visible = this.#visible(table);
      const signature = JSON.stringify(visible.columns);
      if (this.#announced.get(table.name) === signature) continue;
      this.#announced.set(table.name, signature);
      yield { type: "schema", table: visible };
    }
  }

  /** A table without its deselected columns. */
  #visible(table: TableSchema): TableSchema {
    const excluded = this.options.selection.excludedFields?.get(table.name);
    const copy = structuredClone(table);
    if (excluded) copy.columns = copy.columns.filter((c) => !excluded.has(c.name) || table.primaryKey.includes(c.name));
    return copy;
  }

  /**
   * One batch per piece (a list page, or a window's end), in the order the pieces arrive. `plan`
   * handles a piece at once and in order — rows flattened, marks and bookmarks moved — and
   * returns the piece's sub-resource reads; those run in the stream's pool, overlapping the
   * next pieces' list requests and sub-resources, and the piece's batch carries the state as
   * it was when the piece was planned, so each yielded state covers exactly what was yielded.
   * At most `PAGES_IN_PROCESS` pieces wait for their sub-resources (memory stays bounded).
   * `archived`: the pieces are archived records (each batch is marked so).
   */
  async *#pipeline<T>(
    pieces: AsyncIterable<T>,
    plan: (piece: T, sink: FlattenSink) => (() => Promise<void>)[],
    options: { archived?: true } = {},
  ): AsyncGenerator<SyncEvent> {
    const begin = async (piece: T) => {
      const sink = newSink();
      const fetches = plan(piece, sink);
      const state = cloneState(this.state);
      await this.#pool.all(fetches);
      return { sink, state, piece };
    };
    for await (const { sink, state, piece } of inOrder(pieces, begin, PAGES_IN_PROCESS)) yield* this.#batch(sink, state, piece, options.archived);
  }

  /** A list's pages read one ahead, each once the backlog has room for it. */
  #gated(pages: AsyncIterable<Record<string, unknown>[]>): AsyncGenerator<Record<string, unknown>[]> {
    return readAhead([() => pages], { concurrency: 1, buffer: 1, gate: this.backlog });
  }

  /**
   * The batch of a piece's rows (`piece`: what it was read as, whose records the batch now holds in the backlog;
   * `archived`: its records are archived ones).
   */
  *#batch(sink: FlattenSink, state = cloneState(this.state), piece?: unknown, archived?: true): Generator<SyncEvent> {
    for (const notice of this.#skipNotices.splice(0)) yield { type: "stream-skipped", stream: notice.stream, reason: notice.message, fails: notice.fails };
    for (const plan of sink.evolved) yield* this.#announce(plan);
    for (const table of this.options.selection.excludedTables ?? []) sink.tables.delete(table);
    const excluded = this.options.selection.excludedFields;
    if (excluded) {
      for (const [table, rows] of sink.tables) {
        const drop = excluded.get(table);
        if (drop) for (const column of drop) rows.omit(column);
      }
    }
    const batch = batchEvent(this.stream.name, sink.tables, sink.rescued, state, archived);
    this.backlog.carry(piece, batch);
    yield batch;
  }

  /** A named stream without its scope fails the run (after the others), unless `skip_streams_without_scope`. */
  #failsWithoutScope(name: string): boolean {
    return !!this.options.selection.named?.has(name) && !this.options.config.skip_streams_without_scope;
  }

  #scopeMessage(stream: StreamDefinition, error: ScopeError): string {
    return `stream '${stream.name}' skipped: the access token lacks the OAuth scope '${stream.scope}' ` +
      `(${error.message}). Add that scope to the API account, or deselect the stream.`;
  }

  /** The list's filters: channel, the cursor's bounds (the lower one unless the read seeks on it). Also what a count endpoint is asked. */
  #filterParams(since: string | undefined, lowerBound: boolean): Record<string, string | number> {
    const stream = this.stream;
    const config = this.options.config;
    const params: Record<string, string | number> = channelScope(stream, config.channel_id);
    const cursor = this.#cursorOf(stream);
    if (cursor) {
      if (since !== undefined && lowerBound) params[cursor.filter] = filterValue(since);
      if (config.end_date && cursor.upperFilter) params[cursor.upperFilter] = filterValue(config.end_date);
    }
    return params;
  }

  /** The parent list's query: fixed params, includes the selected children need, channel, cursor filter and sort. */
  #parentParams(since: string | undefined): Record<string, string | number> {
    const stream = this.stream;
    const params: Record<string, string | number> = { ...stream.params };
    const wanted = this.#children.map((child) => child.stream.parent.parentParams ?? {});
    // Store-specific field arrays come with the stream's own rows (e.g. include=formfields).
    if (this.#emitsParent()) wanted.push(...(stream.storeFields ?? []).map((rule) => rule.params ?? {}));
    for (const extra of wanted) {
      for (const [key, value] of Object.entries(extra)) {
        params[key] = key === "include" && params[key] ? mergeList(String(params[key]), value) : value;
      }
    }
    Object.assign(params, this.#cursorOf(stream)?.sort ?? {});
    return Object.assign(params, this.#filterParams(since, !seeksOnCursor(stream)));
  }

  /**
   * Rows of a page for every selected stream that has not emitted them yet, flattened into
   * `sink` now; the sub-resource reads they need are returned, to run later into the same sink.
   * A child's rows travel with their parent's row whenever that is emitted (a destination
   * replaces a parent's children with what comes along with it).
   */
  #planPage(page: Record<string, unknown>[], sink: FlattenSink): (() => Promise<void>)[] {
    const stream = this.stream;
    const skip = new Set(stream.exclude ?? []);
    const fetches: (() => Promise<void>)[] = [];
    const field = this.#cursor?.field;
    for (const record of page) {
      if (!this.#servesChannel(stream, record)) continue;
      const value = field === undefined ? undefined : record[field];
      const key = this.#recordKey(record);
      const emit = this.#emitsParent() && !this.#track?.mark.alreadyEmitted(value, key);
      if (emit) {
        this.#track?.mark.advance(value, key);
        if (stream.rowsAt) this.#fanOut(record, stream.rowsAt, sink);
        else flattenRecord(this.#plan, record, sink, {}, skip);
        this.#records++;
      }
      for (const child of this.#children) {
        if (child.track) {
          if (!emit && child.track.mark.alreadyEmitted(value, key)) continue;
          child.track.mark.advance(value, key);
        }
        const fetch = this.#childRows(child, record, sink);
        if (fetch) fetches.push(fetch);
      }
    }
    return fetches;
  }

  /** False for a record of another channel than `channel_id` (streams with a `channelField`). */
  #servesChannel(stream: StreamDefinition, record: Record<string, unknown>): boolean {
    const channel = this.options.config.channel_id;
    if (channel === undefined || !stream.channelField) return true;
    const value = valueAt(record, stream.channelField);
    if (value === null || value === undefined) return true;
    return (Array.isArray(value) ? value : [value]).some((v) => Number(v) === Number(channel));
  }

  /** `rowsAt`: one row per object at the path, each with key columns from its item. */
  #fanOut(item: Record<string, unknown>, rowsAt: NonNullable<RootStream["rowsAt"]>, sink: FlattenSink): void {
    const { path, keys } = rowsAt;
    const preset: Row = {};
    for (const [column, field] of Object.entries(keys)) preset[column] = valueAt(item, field);
    for (const { object } of collect(item, path)) flattenRecord(this.#plan, object, sink, preset);
  }

  /** Rows of one child for one parent: inline now, or a fetch to run. */
  #childRows(child: ChildRun, parent: Record<string, unknown>, sink: FlattenSink): (() => Promise<void>) | undefined {
    const rule = child.stream.parent;
    const preset: Row = {};
    for (const [column, field] of child.parentKeys) preset[column] = valueAt(parent, field);
    const source = rule.source;
    if (source.kind === "inline") {
      const fallback = source.fallback;
      const perPath = source.paths.map((path) => collect(parent, path, fallback?.marker));
      const incomplete = fallback && inlineIncomplete(fallback, parent, perPath);
      if (!fallback || !incomplete) {
        for (let i = 0; i < perPath.length; i++) {
          const rows = perPath[i]!;
          if (rows.length === 0) continue;
          // One preset for the path's rows, its index set row by row: a row's flattening reads it and keeps nothing of it.
          const row: Row = { ...preset };
          if (source.tag) row[source.tag.column] = source.tag.values[i];
          for (let index = 0; index < rows.length; index++) {
            if (source.indexColumn) row[source.indexColumn] = index;
            this.#childRow(child, rows[index]!.object, row, sink);
          }
        }
        return undefined;
      }
      const seen = this.#fallbacks.get(child.stream.name) ?? { parents: 0, path: fallback.path };
      this.#fallbacks.set(child.stream.name, { ...seen, parents: seen.parents + 1 });
      return () => this.#readSubresource(child, fallback.api, fillPath(fallback.path, parent), fallback.pagination, {}, preset, sink);
    }
    if (source.when && !holds(source.when, parent)) return undefined;
    const params: Record<string, string | number> = { ...source.params };
    if (child.stream.cursor && child.since !== undefined) params[child.stream.cursor.filter] = filterValue(child.since);
    if (child.stream.cursor && this.options.config.end_date && child.stream.cursor.upperFilter) {
      params[child.stream.cursor.upperFilter] = filterValue(this.options.config.end_date);
    }
    return () => this.#readSubresource(child, source.api, fillPath(source.path, parent), source.pagination, params, preset, sink, source.notFoundMeansNone);
  }

  #childRow(child: ChildRun, object: Record<string, unknown>, preset: Row, sink: FlattenSink): void {
    if (!this.#servesChannel(child.stream, object)) return;
    const cursor = child.stream.cursor;
    if (child.mark && cursor) {
      const key = child.rowKey({ ...object, ...preset });
      if (child.mark.alreadyEmitted(object[cursor.field], key)) return;
      child.mark.advance(object[cursor.field], key);
    }
    flattenRecord(child.plan, object, sink, preset, child.skip);
    child.records++;
  }

  readonly #skippedChildren = new Set<string>();
  readonly #skipNotices: { stream: string; message: string; fails: boolean }[] = [];

  async #readSubresource(
    child: ChildRun,
    api: "v2" | "v3",
    path: string,
    style: PaginationStyle,
    params: Record<string, string | number>,
    preset: Row,
    sink: FlattenSink,
    notFoundMeansNone = false,
  ): Promise<void> {
    if (this.#skippedChildren.has(child.stream.name)) return;
    try {
      const pages = readPages(this.#listClient(child.stream, child), {
        stream: child.stream.name,
        api,
        path,
        style,
        pageSize: this.options.config.page_size,
        params,
        notFoundMeansNone,
        // The parent supplies its part of the key.
        key: child.stream.primaryKey.filter((k) => !(k in child.stream.parent!.keys)),
        log: this.log,
      });
      for await (const page of pages) for (const object of page) this.#childRow(child, object, preset, sink);
    } catch (error) {
      if (!(error instanceof ScopeError)) throw error;
      if (this.#skippedChildren.has(child.stream.name)) return;
      this.#skippedChildren.add(child.stream.name);
      this.#skipNotices.push({ stream: child.stream.name, message: this.#scopeMessage(child.stream, error), fails: this.#failsWithoutScope(child.stream.name) });
    }
  }
}

/** A read whose first step was taken already: that step's page, then the rest. */
async function* continued<T>(first: IteratorResult<T>, rest: AsyncGenerator<T>): AsyncGenerator<T> {
  if (first.done) return;
  yield first.value;
  yield* rest;
}

/** The records a piece read holds: a list page, or a window's page (none for a window's end). */
function recordsOf(piece: unknown): number {
  if (Array.isArray(piece)) return piece.length;
  const page = (piece as { page?: unknown[] }).page;
  return Array.isArray(page) ? page.length : 0;
}

/** No pages (the stream was read in windows). */
async function* noPages(): AsyncGenerator<Record<string, unknown>[]> {}

function mergeList(a: string, b: string): string {
  return [...new Set([...a.split(","), ...b.split(",")])].join(",");
}

/** Why a parent's inline child rows are incomplete (a marker, or fewer than the parent counts), or undefined when they are complete. */
function inlineIncomplete(fallback: InlineFallback, parent: Record<string, unknown>, perPath: readonly Found[][]): string | undefined {
  if (perPath.some((found) => found.some((f) => f.marked))) return `the inline rows carry ${fallback.marker} (cut short by the API)`;
  const expect = fallback.expect;
  if (!expect) return undefined;
  const expected = Number(valueAt(parent, expect.count));
  if (!(expected > 0)) return undefined;
  let have = 0;
  for (const found of perPath) {
    if (!expect.sum) have += found.length;
    else for (const f of found) have += Number(f.object[expect.sum]) || 0;
  }
  if (have >= expected) return undefined;
  return `${expect.count} is ${expected} but the inline rows ${expect.sum ? `add up to ${have} ${expect.sum}` : `number ${have}`}`;
}

function holds(condition: ParentCondition, record: Record<string, unknown>): boolean {
  const value = valueAt(record, condition.field);
  if (condition.is === "nonzero") {
    const n = typeof value === "number" ? value : typeof value === "string" ? Number(value) : NaN;
    return Number.isFinite(n) && n !== 0;
  }
  return !(value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0));
}
