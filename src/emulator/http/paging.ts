/**
 * Pagination: v2 bare arrays (`204 No Content` past the end, `413` above the maximum limit),
 * the v3 `{data, meta.pagination}` envelope, and v3 cursor pagination (`after`/`before`).
 */
import { type Api, errorReply, MESSAGES, type Reply } from "./errors.ts";
import { BadParam, type Query } from "./query.ts";
import { compareKeys, type Ordering, type SortKey } from "./filters.ts";

/** Default page size of both versions. */
export const DEFAULT_LIMIT = 50;
/** Maximum page size of both versions. */
export const MAX_LIMIT = 250;

function pageOf(q: Query): number {
  const page = q.int("page");
  return page === undefined || page < 1 ? 1 : page;
}

/** v2: parses page/limit; a limit above 250 answers 413. */
export function v2Window(q: Query): { page: number; limit: number } | Reply {
  const limit = q.int("limit");
  if (limit !== undefined && limit > MAX_LIMIT) {
    return errorReply("v2", 413, MESSAGES[413]!, { details: { max_limit: MAX_LIMIT } });
  }
  return { page: pageOf(q), limit: limit === undefined || limit < 1 ? DEFAULT_LIMIT : limit };
}

/** v2 list (an array, or anything that slices like one): a bare JSON array of one page, or 204 with no body when the page is empty. */
export function v2List<T>(q: Query, rows: { slice(start: number, end: number): T[] }, render: (r: T) => unknown): Reply {
  const w = v2Window(q);
  if ("status" in w) return w;
  const slice = rows.slice((w.page - 1) * w.limit, w.page * w.limit);
  if (slice.length === 0) return { status: 204 };
  return { status: 200, body: slice.map(render) };
}

/** v3: parses page/limit; limits above 250 (or the endpoint's own maximum) are capped. */
export function v3Window(q: Query, maxLimit = MAX_LIMIT): { page: number; limit: number } {
  const limit = q.int("limit");
  return { page: pageOf(q), limit: Math.min(limit === undefined || limit < 1 ? DEFAULT_LIMIT : limit, maxLimit) };
}

/** Cursor pagination support of an endpoint: the ordering its cursors encode. */
export interface CursorSupport<T> {
  ordering: Ordering<T>;
}

/** Encodes a sort key as an opaque cursor (base64 of JSON, like BigCommerce's `eyJpZCI6MjA0fQ`). */
export function encodeCursor(key: SortKey): string {
  return btoa(JSON.stringify({ k: key })).replace(/=+$/, "");
}

/** Decodes a cursor; malformed ones are a bad parameter. */
export function decodeCursor(param: string, cursor: string): SortKey {
  try {
    const parsed = JSON.parse(atob(cursor)) as { k?: unknown };
    if (Array.isArray(parsed.k) && parsed.k.every((x) => typeof x === "number" || typeof x === "string")) return parsed.k;
  } catch {
    // fall through
  }
  throw new BadParam(param, `The cursor '${param}' is invalid.`);
}

/**
 * v3 list. With `cursor` support, `after`/`before` switch to cursor pagination (only
 * `meta.cursor_pagination`); the first offset page carries both `pagination` and `cursor_pagination`.
 */
export function v3List<T>(q: Query, rows: readonly T[], render: (r: T) => unknown, cursor?: CursorSupport<T>, maxLimit?: number): Reply {
  const { page, limit } = v3Window(q, maxLimit);
  if (cursor) {
    const after = q.get("after");
    const before = q.get("before");
    if (after !== undefined || before !== undefined) return cursorPage(rows, render, cursor, limit, after, before);
  }
  const total = rows.length;
  const totalPages = Math.ceil(total / limit);
  const slice = rows.slice((page - 1) * limit, page * limit);
  const links: Record<string, string> = {};
  if (page > 1) links.previous = `?page=${page - 1}&limit=${limit}`;
  links.current = `?page=${page}&limit=${limit}`;
  if (page < totalPages) links.next = `?page=${page + 1}&limit=${limit}`;
  const meta: Record<string, unknown> = {
    pagination: { total, count: slice.length, per_page: limit, current_page: page, total_pages: totalPages, links },
  };
  if (cursor && page === 1) meta.cursor_pagination = cursorMeta(slice, cursor, limit, slice.length < total);
  return { status: 200, body: { data: slice.map(render), meta } };
}

function cursorMeta<T>(slice: readonly T[], cursor: CursorSupport<T>, limit: number, more: boolean, hasPrevious = false): Record<string, unknown> {
  const meta: Record<string, unknown> = { count: slice.length, per_page: limit };
  const links: Record<string, string> = {};
  if (slice.length > 0) {
    const start = encodeCursor(cursor.ordering.key(slice[0]!));
    const end = encodeCursor(cursor.ordering.key(slice[slice.length - 1]!));
    meta.start_cursor = start;
    meta.end_cursor = end;
    if (hasPrevious) links.previous = `?limit=${limit}&before=${encodeURIComponent(start)}`;
    if (more) links.next = `?limit=${limit}&after=${encodeURIComponent(end)}`;
  }
  meta.links = links;
  return meta;
}

function cursorPage<T>(
  rows: readonly T[], render: (r: T) => unknown, cursor: CursorSupport<T>, limit: number, after?: string, before?: string,
): Reply {
  if (after !== undefined && before !== undefined) throw new BadParam("after", "Use either 'after' or 'before', not both.");
  const sign = cursor.ordering.desc ? -1 : 1;
  const position = (r: T, key: SortKey) => sign * compareKeys(cursor.ordering.key(r), key);
  let slice: T[];
  let more: boolean;
  let hasPrevious: boolean;
  if (after !== undefined) {
    const key = decodeCursor("after", after);
    const rest = rows.filter((r) => position(r, key) > 0);
    slice = rest.slice(0, limit);
    more = rest.length > limit;
    hasPrevious = rows.length > rest.length;
  } else {
    const key = decodeCursor("before", before!);
    const head = rows.filter((r) => position(r, key) < 0);
    slice = head.slice(Math.max(0, head.length - limit));
    more = true;
    hasPrevious = head.length > limit;
  }
  const meta = { cursor_pagination: cursorMeta(slice, cursor, limit, more && slice.length > 0, hasPrevious) };
  return { status: 200, body: { data: slice.map(render), meta } };
}

/** The error reply for a bad parameter, in the API's shape (v2: 400, v3: 422). */
export function badParamReply(api: Api, error: BadParam): Reply {
  return api === "v2"
    ? errorReply("v2", 400, error.message)
    : errorReply("v3", 422, error.message, { errors: { [error.param]: error.message } });
}
