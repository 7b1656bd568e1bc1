/** The request log: every request the emulator saw, for tests and the benchmark to count. */

/** One request. */
export interface LogEntry {
  method: string;
  /** Path without the `/stores/{hash}` prefix, e.g. `/v2/orders/101/coupons`. */
  path: string;
  query: Record<string, string>;
  /** Normalised endpoint, e.g. `GET /v2/orders/{id}/coupons`. */
  endpoint: string;
  /** Response status; 0 when the connection was reset. */
  status: number;
  /** When the request arrived (epoch ms). */
  time: number;
  /** How long the answer took (ms). */
  durationMs: number;
  /** Injected fault, if any. */
  fault?: string;
  /** Query parameters the endpoint does not support (it ignored them). */
  ignoredParams?: string[];
}

/** A filter on log entries: fields to match (a path string matches exactly, a RegExp by test), or a predicate. */
export type LogFilter =
  | ((entry: LogEntry) => boolean)
  | { method?: string; path?: string | RegExp; endpoint?: string; status?: number };

/** Turns a path into its endpoint: numeric segments become `{id}`. */
export function endpointOf(method: string, path: string): string {
  return `${method} ${path.split("/").map((s) => (/^\d+$/.test(s) ? "{id}" : s)).join("/")}`;
}

/** The log. */
export class RequestLog {
  /** Entries in arrival order. */
  readonly entries: LogEntry[] = [];

  /** Appends an entry (used by the server). */
  add(entry: LogEntry): void {
    this.entries.push(entry);
  }

  /** Entries matching a filter (all without one). */
  filter(filter?: LogFilter): LogEntry[] {
    if (!filter) return this.entries.slice();
    if (typeof filter === "function") return this.entries.filter(filter);
    return this.entries.filter((e) =>
      (filter.method === undefined || e.method === filter.method) &&
      (filter.endpoint === undefined || e.endpoint === filter.endpoint) &&
      (filter.status === undefined || e.status === filter.status) &&
      (filter.path === undefined || (typeof filter.path === "string" ? e.path === filter.path : filter.path.test(e.path)))
    );
  }

  /** How many entries match. */
  count(filter?: LogFilter): number {
    return this.filter(filter).length;
  }

  /** Requests per endpoint, e.g. `{"GET /v2/orders": 5, "GET /v2/orders/{id}/coupons": 12}`. */
  countByEndpoint(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const e of this.entries) out[e.endpoint] = (out[e.endpoint] ?? 0) + 1;
    return out;
  }

  /** Forgets every entry. */
  clear(): void {
    this.entries.length = 0;
  }
}
