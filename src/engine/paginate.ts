/**
 * Reading a list endpoint page by page, in each of BigCommerce's styles: v2 `page`/`limit`
 * (204 at the end), v2 keyset on `min_id`, v3 offset envelope, v3 `after` cursor, and a
 * single object. Incremental lists sorted by their cursor are read by seeking on it, so a
 * record modified during the run can never shift another past the reader.
 *
 * Every read proves itself complete or fails naming the stream: v3 offset lists are read
 * until `current_page == total_pages` and the rows read must account for
 * `meta.pagination.total`; a cursor list falls back to `pagination` when a page lacks
 * `cursor_pagination`; a v2 page of exactly 50 rows (the API's default page size, so the
 * limit may have been ignored) is not an end; a page identical to the one before, or a row
 * without its key, is an error.
 */
import { RuntimeFailure } from "../errors.ts";
import { counted } from "../plural.ts";
import { timestampMs } from "./columns.ts";
import { type ApiClient, NotFoundError } from "./http.ts";
import { keyOf } from "./keys.ts";
import type { PaginationStyle } from "./types.ts";

/** What to read. */
export interface ListRequest {
  /** The stream being read, named in every error. */
  stream: string;
  api: "v2" | "v3";
  path: string;
  style: PaginationStyle;
  pageSize: number;
  params: Record<string, string | number>;
  /**
   * Seek on a sorted cursor: each page starts at the last cursor value seen (inclusive),
   * skipping the records at that value already read. Needs `params` to sort by the cursor.
   */
  seek?: { field: string; filter: string; from?: string; key: string[] };
  /** A 404 means "none here" (a sub-resource the API documents so); anywhere else a 404 fails the read. */
  notFoundMeansNone?: boolean;
  /** Fields every listed item must carry (its primary key, less what the parent supplies); a row without them is an error. */
  key?: string[];
  /** Told about tolerated differences (rows that changed while the list was read). */
  log?: (message: string) => void;
  /**
   * Told, at the end of a complete read, what affirmed its count: the list's own total
   * (`meta.pagination.total`, accounted for by the rows read) or the one object asked for.
   * Not told for a list that carries no total (v2 lists, a page without its meta block).
   */
  affirmed?: (by: string) => void;
}

type Item = Record<string, unknown>;
type Query = Record<string, string | number>;

/** What reading a list needs of the API client: its GET. */
export type ListClient = Pick<ApiClient, "get">;

/** The page size both API versions fall back to when they ignore the `limit` asked for. */
export const API_DEFAULT_PAGE_SIZE = 50;

/** True when a stream's list is read by seeking on its cursor (sorted by it, and paged by page number). */
export function seeksOnCursor(stream: { cursor?: { sort?: Record<string, string> }; pagination?: PaginationStyle }): boolean {
  return !!stream.cursor?.sort && (stream.pagination === "v2-page" || stream.pagination === "v3-offset");
}

/** Formats an instant for a date filter: ISO 8601, second precision, UTC. */
export function filterTimestamp(value: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new RuntimeFailure(`cannot use ${JSON.stringify(value)} as a date filter`);
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/** Yields the records of a list, one page at a time. */
export async function* readPages(client: ListClient, request: ListRequest): AsyncGenerator<Item[]> {
  let reader = new ListReader(client, request);
  if (request.seek && (request.style === "v2-page" || request.style === "v3-offset")) {
    if (yield* seekPages(reader, request.seek)) return;
    // The API ignored the sort, so seeking could pass records: read again by page number (the records read twice are harmless).
    const { seek } = request;
    const params = { ...request.params };
    if (seek.from !== undefined) params[seek.filter] = filterTimestamp(seek.from);
    request = { ...request, params, seek: undefined };
    reader = new ListReader(client, request);
  }
  switch (request.style) {
    case "single": {
      const { body } = await reader.fetch(request.params, false);
      // An unpaged list (order statuses, shipping zones) is its records; anything else is the one record.
      if (Array.isArray(body)) {
        reader.checkKeys(body as Item[]);
        if (body.length > 0) yield body as Item[];
        return;
      }
      if (!body || typeof body !== "object") {
        throw reader.failure(`${request.api}/${request.path} answered without its object (${body === null ? "no content" : typeof body})`);
      }
      yield [body as Item];
      request.affirmed?.(`${request.api}/${request.path} (one object)`);
      return;
    }
    case "v2-page":
    case "v3-offset":
      for (let page = 1;; page++) {
        const fetched = await reader.fetch({ ...request.params, page });
        reader.checkNotRepeated(fetched.items);
        if (fetched.items.length > 0) yield fetched.items;
        reader.noteTotal(fetched, page === 1);
        if (!reader.more(fetched)) break;
      }
      // The last page's total was taken with the same bounds, after the read.
      await reader.checkTotal();
      return;
    case "v2-keyset": {
      let minId = 1;
      for (;;) {
        const fetched = await reader.fetch({ ...request.params, min_id: minId, page: 1 });
        reader.checkNotRepeated(fetched.items);
        if (fetched.items.length > 0) yield fetched.items;
        if (!reader.more(fetched) || fetched.items.length === 0) return;
        minId = Math.max(...fetched.items.map((i) => Number(i.id))) + 1;
      }
    }
    case "v3-cursor":
      yield* cursorPages(reader);
      return;
    default:
      return unhandledStyle(request.style);
  }
}

/** Compile-time exhaustiveness: a pagination style nothing handles fails to build. */
function unhandledStyle(style: never): never {
  throw new RuntimeFailure(`unknown pagination style ${JSON.stringify(style)}`);
}

/** A page as fetched: its records, the body they came in, and whether the API said "nothing here" (204, documented 404). */
interface Fetched {
  items: Item[];
  body: unknown;
  none: boolean;
}

interface Pagination {
  total?: number;
  current_page?: number;
  total_pages?: number;
}

interface CursorMeta {
  end_cursor?: string;
  links?: { next?: string };
}

function metaOf(body: unknown): { pagination?: Pagination; cursor_pagination?: CursorMeta } {
  const meta = (body as { meta?: unknown } | null)?.meta;
  return meta && typeof meta === "object" ? meta : {};
}

/** The state of one read: requests made, rows read, the totals the API reported, the previous page. */
class ListReader {
  /** Pages requested so far (named in errors). */
  pages = 0;
  /** Rows read so far. */
  rows = 0;
  #firstTotal: number | undefined;
  #lastTotal: number | undefined;
  #previous: string | undefined;

  constructor(readonly client: ListClient, readonly request: ListRequest) {}

  /** An error naming the stream (and the page, once one was asked for). */
  failure(reason: string): RuntimeFailure {
    const where = this.pages > 0 && this.request.style !== "single" ? `, page ${this.pages}` : "";
    return new RuntimeFailure(`stream '${this.request.stream}'${where}: ${reason}`);
  }

  /** One request; `list` pages get `limit`, their records and their keys checked. */
  async fetch(query: Query, list = true): Promise<Fetched> {
    const { api, path } = this.request;
    this.pages++;
    let body: unknown;
    try {
      body = (await this.client.get(api, path, list ? { ...query, limit: this.request.pageSize } : query)).body;
    } catch (error) {
      if (error instanceof NotFoundError) {
        if (this.request.notFoundMeansNone) return { items: [], body: null, none: true };
        throw this.failure(`${error.message}; the endpoint should exist for this store, so the stream cannot be read`);
      }
      // Name the stream in every failure (a missing scope stays a ScopeError: the stream is skipped).
      if (error instanceof RuntimeFailure) throw this.failure(error.message);
      throw error;
    }
    if (!list) return { items: [], body, none: body === null };
    if (body === null) return { items: [], body, none: true }; // 204 No Content: past the last page
    const data = api === "v3" ? (body as { data?: unknown }).data : body;
    if (!Array.isArray(data)) throw this.failure(`${api}/${path}: expected a list of records, got ${data === null ? "null" : typeof data}`);
    const items = data as Item[];
    this.checkKeys(items);
    this.rows += items.length;
    return { items, body, none: false };
  }

  /** Fails on a row without its primary key. */
  checkKeys(items: Item[]): void {
    const key = this.request.key;
    if (!key?.length) return;
    const at = items.findIndex((item) => key.some((k) => item?.[k] === undefined || item[k] === null));
    if (at >= 0) throw this.failure(`row ${at + 1} has no primary key (${key.join(", ")}); cannot store a row that cannot be told apart`);
  }

  /** Fails on a non-empty page identical to the previous one: the API is not paging, and reading on would never end. */
  checkNotRepeated(items: Item[]): void {
    if (items.length === 0) return;
    const key = this.request.key;
    const signature = key?.length ? items.map(keyOf(key)).join("\n") : JSON.stringify(items);
    if (signature === this.#previous) {
      throw this.failure(`the page is identical to the page before it: the API ignores paging (${this.request.api}/${this.request.path})`);
    }
    this.#previous = signature;
  }

  /** Whether another page may follow a page/limit page (never decided by a missing meta block alone). */
  more(fetched: Fetched): boolean {
    if (fetched.none) return false;
    const pagination = metaOf(fetched.body).pagination;
    if (this.request.api === "v3" && pagination?.current_page !== undefined && pagination.total_pages !== undefined) {
      // Read until the last page, whatever a page holds.
      return pagination.current_page < pagination.total_pages;
    }
    return pageLooksFull(fetched.items.length, this.request.pageSize);
  }

  /** Notes `meta.pagination.total` of a page: the first read's total is the count to account for. */
  noteTotal(fetched: Fetched, first: boolean): void {
    const total = metaOf(fetched.body).pagination?.total;
    if (typeof total !== "number") return;
    if (first) this.#firstTotal = total;
    this.#lastTotal = total;
  }

  /**
   * The rows read must account for the total the API reported before the read; `recount`
   * asks for the total again with the same bounds (seek and cursor reads, whose later pages
   * carry other totals or none). A shortfall within what changed meanwhile is logged; a
   * larger one fails the stream.
   */
  async checkTotal(recount?: () => Promise<number | undefined>): Promise<void> {
    const before = this.#firstTotal;
    if (before === undefined) return;
    let after = this.#lastTotal ?? before;
    if (this.rows < Math.max(before, after)) {
      if (recount) after = (await recount()) ?? after;
      const missing = Math.max(before, after) - this.rows;
      const counts = `read ${counted(this.rows, "row")}; meta.pagination.total was ${before} before the read and ${after} after it`;
      if (missing > Math.abs(after - before)) {
        throw new RuntimeFailure(
          `stream '${this.request.stream}': ${counts}: ${missing} rows are missing, more than changed meanwhile (${Math.abs(after - before)})`,
        );
      }
      if (missing > 0) this.request.log?.(`stream '${this.request.stream}': ${counts}: the ${missing} missing changed while the list was read`);
    }
    this.request.affirmed?.(`meta.pagination.total (${after})`);
  }

  /** The total with the bounds of the first page: one request for one row. */
  async totalFor(query: Query): Promise<number | undefined> {
    const { body } = await this.client.get(this.request.api, this.request.path, { ...query, limit: 1 });
    const total = metaOf(body).pagination?.total;
    return typeof total === "number" ? total : undefined;
  }
}

/**
 * Whether a page of `rows` when `pageSize` were asked for may have a successor when the API
 * says nothing else: a full page may; so does a page of exactly the API's default size when
 * more were asked (the limit may have been ignored); any other short page is the last.
 */
function pageLooksFull(rows: number, pageSize: number): boolean {
  return rows >= pageSize || (rows === API_DEFAULT_PAGE_SIZE && pageSize > API_DEFAULT_PAGE_SIZE);
}

/**
 * v3 cursor lists: `after` from `meta.cursor_pagination` when a page carries it; otherwise
 * page numbers from `meta.pagination` (BigCommerce's first page carries both, pages asked
 * by number only `pagination`). A page with neither goes on by page number while full.
 */
async function* cursorPages(reader: ListReader): AsyncGenerator<Item[]> {
  const { params } = reader.request;
  let next: Query = params;
  for (let first = true;; first = false) {
    const fetched = await reader.fetch(next);
    reader.checkNotRepeated(fetched.items);
    if (fetched.items.length > 0) yield fetched.items;
    if (first) reader.noteTotal(fetched, true);
    if (fetched.none) break;
    const { cursor_pagination: cursor, pagination } = metaOf(fetched.body);
    if (cursor) {
      const after = cursor.links?.next ? cursor.end_cursor ?? afterParam(cursor.links.next) : undefined;
      if (!after) break;
      next = { ...params, after };
    } else if (pagination?.current_page !== undefined && pagination.total_pages !== undefined) {
      if (pagination.current_page >= pagination.total_pages) break;
      next = { ...params, page: pagination.current_page + 1 };
    } else if ("after" in next) {
      throw reader.failure("a page asked for with a cursor carries no pagination meta: cannot tell whether more rows follow");
    } else {
      if (!pageLooksFull(fetched.items.length, reader.request.pageSize)) break;
      next = { ...params, page: Number(next.page ?? 1) + 1 };
    }
  }
  await reader.checkTotal(() => reader.totalFor(params));
}

function afterParam(link: string): string | undefined {
  return new URLSearchParams(link.slice(link.indexOf("?") + 1)).get("after") ?? undefined;
}

/**
 * Seek pagination: start each page at the last cursor value seen; page through ties larger
 * than a page. Returns false, having stopped, when a page is not in cursor order (the API
 * ignored the sort): seeking on would pass records.
 */
async function* seekPages(reader: ListReader, seek: NonNullable<ListRequest["seek"]>): AsyncGenerator<Item[], boolean> {
  const { params } = reader.request;
  const bounds = (from: string | undefined): Query => (from === undefined ? { ...params } : { ...params, [seek.filter]: filterTimestamp(from) });
  let from = seek.from;
  let page = 1;
  let seenAtFrom = new Set<string>();
  let yielded = 0;
  const keyOfItem = keyOf(seek.key);
  const instant = (item: Item) => timestampMs(String(item[seek.field]));
  for (let first = true;; first = false) {
    const fetched = await reader.fetch({ ...bounds(from), page });
    const { items } = fetched;
    if (!instantsInOrder(items, instant)) return false;
    if (first) reader.noteTotal(fetched, true);
    const fresh = items.filter((item) => !seenAtFrom.has(keyOfItem(item)));
    // A later page at the same lower bound that brings nothing new: the API ignored `page`.
    if (page > 1 && items.length > 0 && fresh.length === 0) {
      throw reader.failure(`page ${page} at the same lower bound repeats rows already read: the API ignores paging (${reader.request.api}/${reader.request.path})`);
    }
    yielded += fresh.length;
    if (fresh.length > 0) yield fresh;
    if (!reader.more(fetched) || items.length === 0) break;
    const last = items[items.length - 1];
    const lastInstant = instant(last);
    const fromInstant = from === undefined ? NaN : Date.parse(from);
    if (lastInstant === fromInstant) {
      // A tie larger than a page: page through it at the same lower bound.
      page++;
      for (const item of items) seenAtFrom.add(keyOfItem(item));
    } else {
      from = String(last[seek.field]);
      page = 1;
      seenAtFrom = new Set(items.filter((item) => instant(item) === lastInstant).map(keyOfItem));
    }
  }
  // Rows at a lower bound are read again by the next page (and skipped): count each once.
  reader.rows = yielded;
  await reader.checkTotal(() => reader.totalFor(bounds(seek.from)));
  return true;
}

/** True when no item's instant is before the one before it (each instant read once). */
function instantsInOrder(items: readonly Item[], instant: (item: Item) => number): boolean {
  let before = NaN;
  for (let i = 0; i < items.length; i++) {
    const at = instant(items[i]!);
    if (at < before) return false;
    before = at;
  }
  return true;
}
