/**
 * Reading a list endpoint page by page, in each of BigCommerce's styles: v2 `page`/`limit`
 * (204 at the end), v2 keyset on `min_id`, v3 offset envelope, v3 `after` cursor, and a
 * single object. Incremental lists sorted by their cursor are read by seeking on it, so a
 * record modified during the run can never shift another past the reader.
 */
import { RuntimeFailure } from "../errors.ts";
import { type ApiResponse, type ApiClient, NotFoundError } from "./http.ts";
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
}

type Item = Record<string, unknown>;

/** What reading a list needs of the API client: its GET. */
export type ListClient = Pick<ApiClient, "get">;

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
  if (request.seek && (request.style === "v2-page" || request.style === "v3-offset")) {
    if (yield* seekPages(client, request, request.seek)) return;
    // The API ignored the sort, so seeking could pass records: read again by page number (the records read twice are harmless).
    const { seek } = request;
    const params = { ...request.params };
    if (seek.from !== undefined) params[seek.filter] = filterTimestamp(seek.from);
    request = { ...request, params, seek: undefined };
  }
  switch (request.style) {
    case "single": {
      const { body } = await get(client, request, request.params);
      // An unpaged list (order statuses, shipping zones) is its records; anything else is the one record.
      if (Array.isArray(body)) {
        if (body.length > 0) yield body as Item[];
        return;
      }
      if (!body || typeof body !== "object") {
        throw new RuntimeFailure(`stream '${request.stream}': ${request.api}/${request.path} answered without its object (${body === null ? "no content" : typeof body})`);
      }
      yield [body as Item];
      return;
    }
    case "v2-page":
    case "v3-offset":
      for (let page = 1;; page++) {
        const { items, more } = await fetchPage(client, request, { ...request.params, page });
        if (items.length > 0) yield items;
        if (!more) return;
      }
    case "v2-keyset": {
      let minId = 1;
      for (;;) {
        const { items, more } = await fetchPage(client, request, { ...request.params, min_id: minId, page: 1 });
        if (items.length > 0) yield items;
        if (!more || items.length === 0) return;
        minId = Math.max(...items.map((i) => Number(i.id))) + 1;
      }
    }
    case "v3-cursor": {
      let after: string | undefined;
      for (;;) {
        const query = after ? { ...request.params, after } : request.params;
        const { body } = await get(client, request, { ...query, limit: request.pageSize });
        const items = dataOf(body, request);
        if (items.length > 0) yield items;
        const cursor = (body as { meta?: { cursor_pagination?: CursorMeta } })?.meta?.cursor_pagination;
        const next = cursor?.links?.next ? cursor.end_cursor ?? afterParam(cursor.links.next) : undefined;
        if (!next || items.length === 0) return;
        after = next;
      }
    }
    default:
      return unhandledStyle(request.style);
  }
}

/** Compile-time exhaustiveness: a pagination style nothing handles fails to build. */
function unhandledStyle(style: never): never {
  throw new RuntimeFailure(`unknown pagination style ${JSON.stringify(style)}`);
}

interface CursorMeta {
  end_cursor?: string;
  links?: { next?: string };
}

function afterParam(link: string): string | undefined {
  return new URLSearchParams(link.slice(link.indexOf("?") + 1)).get("after") ?? undefined;
}

/** One page of a page/limit list, and whether another may follow. */
async function fetchPage(
  client: ListClient,
  request: ListRequest,
  query: Record<string, string | number>,
): Promise<{ items: Item[]; more: boolean }> {
  const { body } = await get(client, request, { ...query, limit: request.pageSize });
  if (body === null) return { items: [], more: false }; // 204 No Content: past the last page
  const items = dataOf(body, request);
  if (request.api === "v3") {
    const pagination = (body as { meta?: { pagination?: { current_page?: number; total_pages?: number } } }).meta?.pagination;
    if (pagination?.current_page !== undefined && pagination.total_pages !== undefined) {
      return { items, more: pagination.current_page < pagination.total_pages && items.length > 0 };
    }
  }
  return { items, more: items.length >= request.pageSize };
}

/** One request of a read; a 404 is "none" only where the request says so, else an error naming the stream. */
async function get(client: ListClient, request: ListRequest, query: Record<string, string | number>): Promise<ApiResponse | { body: null }> {
  try {
    return await client.get(request.api, request.path, query);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    if (request.notFoundMeansNone) return { body: null };
    throw new RuntimeFailure(`stream '${request.stream}': ${error.message}; the endpoint should exist for this store, so the stream cannot be read`);
  }
}

function dataOf(body: unknown, request: ListRequest): Item[] {
  if (body === null) return [];
  const data = request.api === "v3" ? (body as { data?: unknown }).data : body;
  if (!Array.isArray(data)) {
    throw new RuntimeFailure(`${request.api}/${request.path}: expected a list of records, got ${typeof data}`);
  }
  return data as Item[];
}

/**
 * Seek pagination: start each page at the last cursor value seen; page through ties larger
 * than a page. Returns false, having stopped, when a page is not in cursor order (the API
 * ignored the sort): seeking on would pass records.
 */
async function* seekPages(client: ListClient, request: ListRequest, seek: NonNullable<ListRequest["seek"]>): AsyncGenerator<Item[], boolean> {
  let from = seek.from;
  let page = 1;
  let seenAtFrom = new Set<string>();
  const keyOfItem = keyOf(seek.key);
  const instant = (item: Item) => Date.parse(String(item[seek.field]));
  for (;;) {
    const query: Record<string, string | number> = { ...request.params, page };
    if (from !== undefined) query[seek.filter] = filterTimestamp(from);
    const { items } = await fetchPage(client, request, query);
    if (items.some((item, i) => i > 0 && instant(item) < instant(items[i - 1]))) return false;
    const fresh = items.filter((item) => !seenAtFrom.has(keyOfItem(item)));
    if (fresh.length > 0) yield fresh;
    if (items.length < request.pageSize) return true;
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
}
