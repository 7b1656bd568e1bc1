/**
 * Answers shaped unlike the emulator's usual ones, on purpose: what a real store, a proxy or
 * a future API version might send (a missing meta block, an empty body, an ignored `limit` or
 * `page`, rows without their key, an error quoting the token). Each is a fault kind (see
 * faults.ts); `NAMED_MISBEHAVIOURS` gives each one a name for the `emulator --misbehave` flag.
 */
import type { Reply } from "./errors.ts";
import type { FaultRule } from "./faults.ts";

/** The standing misbehaviours by name, with the requests each applies to unless `NAME@MATCH` says otherwise. */
export const NAMED_MISBEHAVIOURS: Record<string, { rule: FaultRule; what: string }> = {
  "no-cursor-meta": {
    rule: { kind: "drop-meta", block: "cursor_pagination", match: "/v3/customers?" },
    what: "v3 cursor lists' pages come without meta.cursor_pagination",
  },
  "list-404": { rule: { kind: "status", status: 404, match: "/v3/catalog/brands" }, what: "a top-level list answers 404" },
  "empty-body": { rule: { kind: "empty-body", match: "/v3/catalog/brands" }, what: "a list answers 200 with an empty body" },
  "not-json": {
    rule: { kind: "truncate", mode: "half-json", match: "/v3/catalog/brands" },
    what: "a list answers 200 with a body that is not JSON (complete on the wire, the JSON stops halfway)",
  },
  "single-204": { rule: { kind: "status", status: 204, match: "/v2/store" }, what: "the single-object endpoint answers 204" },
  "single-404": { rule: { kind: "status", status: 404, match: "/v2/store" }, what: "the single-object endpoint answers 404" },
  "no-consignments": {
    rule: { kind: "drop-field", field: "consignments", match: "/v2/orders?" },
    what: "order pages come without the consignments block (so without inline line items)",
  },
  "short-line-items": {
    rule: { kind: "drop-line-item", match: "/v2/orders?" },
    what: "order rows whose first shipping consignment lacks its last inline line item, items_total unchanged",
  },
  "cap-50": { rule: { kind: "cap-limit", limit: 50, match: "/v2/" }, what: "v2 pages hold at most 50 rows whatever limit asks" },
  "ignore-page": { rule: { kind: "ignore-param", param: "page", match: "/v3/catalog/brands" }, what: "the page parameter is ignored: every page is the first" },
  "no-key": { rule: { kind: "drop-field", field: "id", rows: "first", match: "/v3/catalog/brands" }, what: "the first row of each page lacks its id" },
  "quote-token": { rule: { kind: "echo-token", status: 400, match: "/v3/catalog/brands" }, what: "a 400 whose message quotes the X-Auth-Token sent" },
  "short-pages": {
    rule: { kind: "drop-rows", count: 1, match: "/v3/catalog/brands" },
    what: "each page lacks its first row while meta.pagination counts it",
  },
  "empty-list": {
    rule: { kind: "empty-list", match: "/v2/gift_certificates" },
    what: "a list answers as if it held nothing: a v2 list 204 No Content, a v3 list a page without rows or pagination meta",
  },
  "count-incomplete": {
    rule: { kind: "extra-count", status: 0, count: 5, match: "/v2/orders/count" },
    what: "orders/count counts 5 Incomplete orders (status 0) the orders list never returns",
  },
};

/** Parses `NAME` or `NAME@MATCH` (a path substring) into a standing rule. */
export function misbehaviourRule(spec: string): FaultRule {
  const at = spec.indexOf("@");
  const name = at < 0 ? spec : spec.slice(0, at);
  const known = NAMED_MISBEHAVIOURS[name];
  if (!known) throw new Error(`unknown misbehaviour '${name}'; known: ${Object.keys(NAMED_MISBEHAVIOURS).join(", ")}`);
  return { ...known.rule, ...(at < 0 ? {} : { match: spec.slice(at + 1) }), times: Infinity };
}

/** Changes the request's query before it is answered (`cap-limit`). */
export function rewriteQuery(fault: FaultRule | undefined, url: URL): void {
  if (fault?.kind === "cap-limit") {
    const cap = fault.limit ?? 50;
    const asked = Number(url.searchParams.get("limit") ?? cap);
    url.searchParams.set("limit", String(Math.min(asked, cap)));
  }
}

/** Reshapes a successful answer. */
export function reshape(fault: FaultRule | undefined, reply: Reply): Reply {
  if (!fault) return reply;
  if (reply.status !== 200) return reply;
  switch (fault.kind) {
    case "empty-body":
      return { ...reply, body: undefined };
    case "drop-meta": {
      const body = reply.body as { meta?: Record<string, unknown> } | undefined;
      if (!body?.meta) return reply;
      const { [fault.block]: _dropped, ...meta } = body.meta;
      return { ...reply, body: { ...body, meta } };
    }
    case "drop-field":
      return mapItems(reply, (items) =>
        items.map((item, i) => {
          if (fault.rows === "first" && i > 0) return item;
          const { [fault.field]: _dropped, ...rest } = item;
          return rest;
        }));
    case "drop-rows":
      return mapItems(reply, (items) => items.slice(fault.count ?? 1));
    case "drop-line-item":
      return mapItems(reply, (orders) =>
        orders.map((order) => {
          const shipping = (order.consignments as { shipping?: { line_items?: unknown[] }[] } | undefined)?.shipping;
          const items = shipping?.[0]?.line_items;
          if (!shipping || !items?.length) return order;
          const first = { ...shipping[0], line_items: items.slice(0, -1) };
          return { ...order, consignments: { ...(order.consignments as object), shipping: [first, ...shipping.slice(1)] } };
        }));
    case "empty-list": {
      const body = reply.body as unknown;
      if (Array.isArray(body)) return { ...reply, status: 204, body: undefined };
      if (body && typeof body === "object" && Array.isArray((body as { data?: unknown }).data)) return { ...reply, body: { data: [], meta: {} } };
      return reply;
    }
    case "extra-count": {
      const body = reply.body as { count: number; statuses: { id: number; count: number }[] };
      const statuses = body.statuses.map((s) => (s.id === fault.status ? { ...s, count: s.count + fault.count } : s));
      return { ...reply, body: { ...body, statuses, count: body.count + fault.count } };
    }
    default:
      return reply;
  }
}

/** The reply with its listed items (a v2 array or v3 `data`) replaced. */
export function mapItems(reply: Reply, f: (items: Record<string, unknown>[]) => Record<string, unknown>[]): Reply {
  const body = reply.body as unknown;
  if (Array.isArray(body)) return { ...reply, body: f(body) };
  if (body && typeof body === "object" && Array.isArray((body as { data?: unknown }).data)) {
    return { ...reply, body: { ...body, data: f((body as { data: Record<string, unknown>[] }).data) } };
  }
  return reply;
}
