/**
 * Cutting a stream's read into independent partitions: cursor windows `[from, to)` for an
 * incremental list with an upper filter on its cursor, sized from the API's own total — a
 * count endpoint under the same filters (orders: `/v2/orders/count`) or the list's
 * `meta.pagination.total` (v3 lists: products, customers, refunds; the caller reads it from
 * the first page of the read it would make anyway), and cut at the cursor
 * values of evenly spaced ranks of the list (one one-record page per cut), so that the windows
 * of a list sorted by its cursor hold alike numbers of records. Each window is read by seeking inside it (a list that
 * can seek) or page by page with both filters; the upper filter is sent as a full timestamp
 * one second past `to` (the spec does not say whether the max filters are inclusive), and
 * records at or past `to` are left to the next window, so the windows overlap by a second on
 * the wire and not at all in what they yield.
 */
import { timestampMs } from "./columns.ts";
import type { ApiClient } from "./http.ts";
import type { CursorWindow } from "./ledger.ts";
import { filterTimestamp, type ListRequest } from "./paginate.ts";
import type { RootStream } from "./types.ts";

/** Windows read at once per stream (memory: each holds at most a page or two ahead). */
export const WINDOWS_AT_ONCE = 8;
/** At most this many windows per stream. */
const MAX_WINDOWS = 16;
/**
 * Each window ends in a page that is not full: one window per this many full pages keeps the
 * extra requests within 5% of a sequential read's.
 */
const PAGES_PER_WINDOW = 20;
/** A stream is cut only from this many full pages on (two windows at least). */
export const MIN_PAGES = 2 * PAGES_PER_WINDOW;

/** What a stream's plan needs to know. */
export interface PartitionRequest {
  stream: RootStream;
  /** The list request of the stream (params with the sort, no cursor filters). */
  list: Omit<ListRequest, "seek">;
  /** Where the read starts (bookmark or start_date); undefined reads from the beginning. */
  since: string | undefined;
  /** The upper end of the read (end_date, already in the list's params), or undefined for now. Windows are cut below it; the last stays open-ended. */
  until: string | undefined;
  /** The instant the run began: windows are cut below it. */
  now: number;
  /** Windows an earlier run finished (from bookmarks): cut at their ends too, so the ledger can skip them. */
  finished?: [string, string][];
  /** The list's total under the same filters when the caller has it already (a v3 list's first page): no sizing request. NaN: unknown. */
  total?: number;
}

/**
 * The windows to read a stream in, oldest first, contiguous, the last one open-ended (or ending
 * at `until`). One window (the whole range) when the stream cannot be cut or is small; the
 * total is the caller's (a v3 list's first page) or comes from the count endpoint under the same
 * filters (one request); the records at the cuts come from one-record pages (only when it is cut).
 */
export async function planWindows(client: ApiClient, request: PartitionRequest): Promise<CursorWindow[]> {
  return alignTo(await cutWindows(client, request), request.finished ?? []);
}

/** Splits windows at the ends of windows finished earlier, so that each of those is a window of its own. */
function alignTo(windows: CursorWindow[], finished: [string, string][]): CursorWindow[] {
  if (finished.length === 0) return windows;
  const start = Date.parse(windows[0].from);
  const cuts = new Set(windows.slice(1).map((w) => Date.parse(w.from)));
  for (const [from, to] of finished) for (const edge of [Date.parse(from), Date.parse(to)]) if (edge > start) cuts.add(edge);
  const bounds = [windows[0].from, ...[...cuts].sort((a, b) => a - b).map((ms) => new Date(ms).toISOString())];
  return bounds.map((from, i) => (i + 1 < bounds.length ? { from, to: bounds[i + 1] } : { from }));
}

/** A v3 list answer's `meta.pagination.total` (undefined when it has none). */
export function listTotal(body: unknown): number | undefined {
  const total = Number((body as { meta?: { pagination?: { total?: unknown } } } | null)?.meta?.pagination?.total);
  return Number.isFinite(total) ? total : undefined;
}

async function cutWindows(client: ApiClient, request: PartitionRequest): Promise<CursorWindow[]> {
  const { stream, since } = request;
  const cursor = stream.cursor;
  const whole: CursorWindow[] = [{ from: since ?? new Date(0).toISOString() }];
  if (!cursor?.upperFilter || !canCutWindows(stream)) return whole;
  // The count takes the filters, not the list's sort or includes.
  const filters: Record<string, string | number> = {};
  const channel = stream.channelFilter === undefined ? undefined : request.list.params[stream.channelFilter];
  if (stream.channelFilter !== undefined && channel !== undefined) filters[stream.channelFilter] = channel;
  if (since !== undefined) filters[cursor.filter] = filterTimestamp(since);
  if (request.until !== undefined) filters[cursor.upperFilter] = filterTimestamp(request.until);
  // The record at a rank of the list (a one-record page), in the list's order: sorted by the cursor when it can be.
  const recordAt = (rank: number) => client.get(stream.api, stream.path, { ...request.list.params, ...filters, limit: 1, page: rank });
  let total: number;
  if (request.total !== undefined) total = request.total;
  else if (cursor.countPath) {
    const { body } = await client.get(stream.api, cursor.countPath, filters);
    total = Number((body as { count?: unknown } | null)?.count);
  } else {
    total = listTotal((await recordAt(1)).body) ?? NaN;
  }
  const pageSize = request.list.pageSize;
  if (!Number.isFinite(total) || total < pageSize * MIN_PAGES) return whole;
  const count = Math.min(MAX_WINDOWS, Math.floor(total / (pageSize * PAGES_PER_WINDOW)));
  // Cut at the cursor values of evenly spaced ranks: a sorted list's windows then hold alike numbers of
  // records. Any cut is correct (the windows cover the range whatever their edges); only the balance
  // depends on it, so an unsorted list (refunds) is cut at the values its own order puts there.
  const start = Date.parse(whole[0].from);
  const end = request.until === undefined ? request.now : Date.parse(request.until);
  const cuts = new Set<number>();
  // The one-record pages at once: each is independent of the others.
  const ranks = Array.from({ length: count - 1 }, (_, i) => Math.round((total * (i + 1)) / count) + 1);
  for (const { body } of await Promise.all(ranks.map(recordAt))) {
    const items = Array.isArray(body) ? body : (body as { data?: unknown } | null)?.data;
    const value = Array.isArray(items) ? (items[0] as Record<string, unknown> | undefined)?.[cursor.field] : undefined;
    // On whole seconds (the filters' precision), strictly inside (start, end).
    const cut = typeof value === "string" ? Math.floor(Date.parse(value) / 1000) * 1000 : NaN;
    if (cut > start && cut < end) cuts.add(cut);
  }
  if (cuts.size === 0) return whole;
  const bounds = [whole[0].from, ...[...cuts].sort((a, b) => a - b).map((ms) => new Date(ms).toISOString())];
  return bounds.map((from, i) => (i + 1 < bounds.length ? { from, to: bounds[i + 1] } : { from }));
}

/**
 * True for lists the engine can cut into windows: an upper filter on the cursor, and a total
 * under the same filters — a count endpoint, or a v3 list's `meta.pagination.total`.
 */
export function canCutWindows(stream: RootStream): boolean {
  const cursor = stream.cursor;
  if (cursor?.upperFilter === undefined) return false;
  return cursor.countPath !== undefined || stream.pagination === "v3-offset" || stream.pagination === "v3-cursor";
}

/** The query bound for a window's end: a full timestamp one second past `to` (the max filters may be exclusive). */
export function upperBound(to: string): string {
  return filterTimestamp(new Date(Date.parse(to) + 1000).toISOString());
}

/**
 * True when a record belongs to the window: below `to` (records at or past it are the next
 * window's) and, when `checkFrom`, not below `from` (a read started early for an "after"
 * filter sees the previous window's last second).
 */
export function inWindow(window: CursorWindow, cursorValue: unknown, checkFrom = false): boolean {
  const ms = typeof cursorValue === "string" ? timestampMs(cursorValue) : NaN;
  // A record without a readable cursor is kept (the destination keys it; the completeness checks see it).
  if (Number.isNaN(ms)) return true;
  if (checkFrom && ms < Date.parse(window.from)) return false;
  return window.to === undefined || ms < Date.parse(window.to);
}
