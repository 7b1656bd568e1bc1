/**
 * Injected faults, for tests and benchmarks. Rules are kept in order; each request takes the
 * first rule that matches it (and has not been used up), so a fault plan plays out deterministically.
 */

/** Which requests a rule applies to, and how often. */
export interface FaultScope {
  /** Substring (or pattern) of the request path with its query, without the store prefix, e.g. `/v2/orders`. */
  match?: string | RegExp;
  /** How many requests the rule affects (default 1; `Infinity`: every matching request, a standing misbehaviour). */
  times?: number;
  /** Let this many matching requests through before the rule starts (default 0); later rules may take them. */
  skip?: number;
}

/** One fault. */
export type FaultRule = FaultScope & (
  /** Answer with this status (500, 502, 503, 504…) and an error body; rate-limit headers as usual. */
  | { kind: "status"; status: number }
  /** Answer with this status and an error body that quotes the request's X-Auth-Token (as a careless proxy might). */
  | { kind: "echo-token"; status: number }
  /** 429 WITHOUT rate-limit headers: platform overload, not the store's quota. */
  | { kind: "overload" }
  /**
   * Destroy the connection without answering. (Clients that retry requests on a reused keep-alive
   * connection, such as Deno's fetch, may retry once on their own.)
   */
  | { kind: "reset" }
  /**
   * Cut the body: `content-length` (default) announces the full length, writes half and drops
   * the connection; `half-json` sends a complete response whose JSON stops halfway.
   */
  | { kind: "truncate"; mode?: "content-length" | "half-json" }
  /** Wait `ms` before answering normally. */
  | { kind: "delay"; ms: number }
  /**
   * Answer normally, but with every field of each listed item null except `keep` (default
   * `["id"]`): a page where values later pages have are missing.
   */
  | { kind: "nulls"; keep?: string[] }
  /**
   * Answer as if the query parameter were not there (a store that ignores `sort`: customers
   * then come in id order, their cursor keyed on id, as BigCommerce's v3 customers cursor is).
   */
  | { kind: "ignore-param"; param: string }
  /** Answer normally, but with these fields of each listed item set to these values (e.g. a price with six decimals). */
  | { kind: "values"; set: Record<string, unknown> }
  // Answers shaped unlike the emulator's usual ones (misbehave.ts), for the completeness checks:
  /** Leave a block out of a v3 answer's `meta` (e.g. `cursor_pagination` on a cursor list's first page). */
  | { kind: "drop-meta"; block: "cursor_pagination" | "pagination" }
  /** 200 with an empty body. */
  | { kind: "empty-body" }
  /** Leave a field out of the listed items (`rows: "first"` only the first item), e.g. `consignments` or the key `id`. */
  | { kind: "drop-field"; field: string; rows?: "all" | "first" }
  /** Leave out the first `count` (default 1) listed items of each page, the page's meta unchanged. */
  | { kind: "drop-rows"; count?: number }
  /** Order pages whose first shipping consignment lacks its last inline line item, `items_total` unchanged. */
  | { kind: "drop-line-item" }
  /** A list answers as if it held nothing: a v2 list 204, a v3 list `{"data": [], "meta": {}}` (no total to tell otherwise). */
  | { kind: "empty-list" }
  /** `orders/count` counts `count` more orders in status `status` than the list holds (as if the list left them out). */
  | { kind: "extra-count"; status: number; count: number }
  /** Answer as if `limit` were at most `limit` (default 50, the API's default page size). */
  | { kind: "cap-limit"; limit?: number }
);

interface Armed {
  rule: FaultRule;
  left: number;
  skip: number;
}

/** The fault plan of an emulator. */
export class Faults {
  private armed: Armed[] = [];

  /** A plan of these rules. */
  static of(rules: readonly FaultRule[]): Faults {
    const faults = new Faults();
    faults.set(rules);
    return faults;
  }

  /** Replaces the plan. */
  set(rules: readonly FaultRule[]): void {
    this.armed = rules.map((rule) => {
      const left = rule.times ?? 1;
      if (left !== Infinity && (!Number.isInteger(left) || left < 1)) {
        throw new Error(`fault 'times' must be a positive integer or Infinity (got ${rule.times})`);
      }
      return { rule, left, skip: rule.skip ?? 0 };
    });
  }

  /** The rules not yet used up, with how many requests each still affects. */
  pending(): Array<FaultRule & { times: number }> {
    return this.armed.map((a) => ({ ...a.rule, times: a.left }));
  }

  /** Takes the fault for a request (path with query, no store prefix), if any. */
  take(target: string): FaultRule | undefined {
    for (const a of this.armed) {
      const m = a.rule.match;
      if (m !== undefined && !(typeof m === "string" ? target.includes(m) : m.test(target))) continue;
      if (a.skip > 0) {
        // Let it through this rule; a later rule may still take it.
        a.skip--;
        continue;
      }
      a.left--;
      if (a.left === 0) this.armed.splice(this.armed.indexOf(a), 1);
      return a.rule;
    }
    return undefined;
  }
}
