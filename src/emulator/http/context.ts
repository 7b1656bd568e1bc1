/** What a route handler gets, and the shape of a route. */
import type { EmulatorStore } from "../data/store.ts";
import type { Reply } from "./errors.ts";
import type { Query } from "./query.ts";

/** One request, as a handler sees it. */
export interface Ctx {
  store: EmulatorStore;
  q: Query;
  /** Path parameters by name, e.g. `{ order_id: "101" }`. */
  params: Record<string, string>;
  /** Base of the emulator, e.g. `http://127.0.0.1:8080`. */
  origin: string;
  /** Base of this store's v2 API, for sub-resource links. */
  v2Base: string;
}

/** One endpoint. */
export interface Route {
  /** Path below `/stores/{hash}/{api}`, with `{name}` parameters, e.g. `/orders/{order_id}/coupons`. */
  pattern: string;
  /** OAuth scopes that allow the request (any one suffices; the modify scope implies its read-only one). */
  scopes: readonly string[];
  handle(ctx: Ctx): Reply;
}

/** Matches a path against a pattern; returns the parameters, or undefined. */
export function matchRoute(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split("/").filter(Boolean);
  const got = path.split("/").filter(Boolean);
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = decodeURIComponent(got[i]!);
    if (w.startsWith("{")) params[w.slice(1, -1)] = g;
    else if (w !== g) return undefined;
  }
  return params;
}

/** Keeps only `include_fields` (plus `keep`), or drops `exclude_fields` (never `keep`). */
export function projectFields(obj: Record<string, unknown>, include: string[] | undefined, exclude: string[] | undefined, keep: readonly string[]): Record<string, unknown> {
  if (include && include.length) {
    const allowed = new Set([...include, ...keep]);
    return Object.fromEntries(Object.entries(obj).filter(([k]) => allowed.has(k)));
  }
  if (exclude && exclude.length) {
    const dropped = new Set(exclude.filter((k) => !keep.includes(k)));
    return Object.fromEntries(Object.entries(obj).filter(([k]) => !dropped.has(k)));
  }
  return obj;
}
