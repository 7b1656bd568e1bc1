/**
 * The HTTP front of the emulator: `/stores/{hash}/v2|v3/...`, checked in BigCommerce's order —
 * store, token, quota, endpoint, scope — with injected faults, latency and the request log.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmulatorStore } from "../data/store.ts";
import { type Ctx, matchRoute, type Route } from "./context.ts";
import { type Api, errorReply, MESSAGES, type Reply } from "./errors.ts";
import type { FaultRule, Faults } from "./faults.ts";
import { endpointOf, type RequestLog } from "./log.ts";
import { mapItems, reshape, rewriteQuery } from "./misbehave.ts";
import { badParamReply } from "./paging.ts";
import { BadParam, Query } from "./query.ts";
import type { RateLimiter } from "./rate-limit.ts";
import { V2_ROUTES } from "./v2-routes.ts";
import { V3_ROUTES } from "./v3-routes.ts";

/** The mutable state the handler serves from. */
export interface ServerState {
  store: EmulatorStore;
  accessToken: string;
  /** Granted OAuth scopes; `null` grants everything. */
  scopes: Set<string> | null;
  rateLimiter: RateLimiter;
  faults: Faults;
  log: RequestLog;
  /** Delay before every answer, in ms. */
  latencyMs: number;
  /** Further delay per record the answer lists (v2 array, v3 `data`), in ms. */
  latencyPerRowMs: number;
  /** Requests being answered now, and the most at once. */
  inFlight: { now: number; peak: number };
  /** `http://host:port`, set once listening. */
  origin: string;
}

const ROUTES: Record<Api, readonly Route[]> = { v2: V2_ROUTES, v3: V3_ROUTES };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Whether the granted scopes allow a route (a modify scope implies its `_read_only` variant). */
export function scopeAllows(granted: Set<string> | null, required: readonly string[]): boolean {
  if (granted === null) return true;
  return required.some((s) => granted.has(s) || granted.has(s.replace(/_read_only$/, "")));
}

interface Parsed {
  storeHash: string;
  api: Api;
  rest: string;
}

function parsePath(pathname: string): Parsed | undefined {
  const m = /^\/stores\/([^/]+)\/(v2|v3)(\/.*)?$/.exec(pathname);
  if (!m) return undefined;
  return { storeHash: decodeURIComponent(m[1]!), api: m[2] as Api, rest: (m[3] ?? "/").replace(/\/+$/, "") || "/" };
}

function findRoute(api: Api, path: string): { route: Route; params: Record<string, string> } | undefined {
  for (const route of ROUTES[api]) {
    const params = matchRoute(route.pattern, path);
    if (params) return { route, params };
  }
  return undefined;
}

/** Creates the request listener. */
export function createListener(state: ServerState): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    state.inFlight.now++;
    state.inFlight.peak = Math.max(state.inFlight.peak, state.inFlight.now);
    res.once("close", () => state.inFlight.now--);
    handle(state, req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ status: 500, title: String(error), type: "about:blank", errors: {} }));
      } else res.destroy();
    });
  };
}

async function handle(state: ServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = Date.now();
  const method = req.method ?? "GET";
  const url = new URL(req.url ?? "/", "http://emulator");
  const parsed = parsePath(url.pathname);
  const path = parsed ? `/${parsed.api}${parsed.rest === "/" ? "" : parsed.rest}` : url.pathname;
  const target = `${path}${url.search}`;
  const query = Object.fromEntries(url.searchParams);
  const entry = { method, path, query, endpoint: endpointOf(method, path), status: 0, time: started, durationMs: 0 } as
    Parameters<RequestLog["add"]>[0];
  state.log.add(entry);
  const finish = (status: number) => {
    entry.status = status;
    entry.durationMs = Date.now() - started;
  };
  req.resume();

  if (state.latencyMs > 0) await sleep(state.latencyMs);
  const api: Api = parsed?.api ?? "v3";
  const fault = state.faults.take(target);
  if (fault) {
    entry.fault = fault.kind;
    if (fault.kind === "delay") await sleep(fault.ms);
    else if (fault.kind === "ignore-param") url.searchParams.delete(fault.param);
    else if (fault.kind === "reset") {
      finish(0);
      req.socket.destroy();
      return;
    } else if (fault.kind === "status") {
      send(res, withHeaders(errorReply(api, fault.status, MESSAGES[fault.status] ?? "Server Error"), state.rateLimiter.peek()));
      finish(fault.status);
      return;
    } else if (fault.kind === "echo-token") {
      const header = req.headers["x-auth-token"];
      const quoted = `the request (credentials ${Array.isArray(header) ? header[0] : header}) could not be served`;
      send(res, withHeaders(errorReply(api, fault.status, quoted), state.rateLimiter.peek()));
      finish(fault.status);
      return;
    } else if (fault.kind === "overload") {
      send(res, errorReply(api, 429, "Too Many Requests"));
      finish(429);
      return;
    }
  }

  const header = req.headers["x-auth-token"];
  const token = Array.isArray(header) ? header[0] : header;
  rewriteQuery(fault, url);
  let reply = reshape(fault, answer(state, method, parsed, url, token, entry));
  if (fault?.kind === "nulls") {
    const keep = new Set(fault.keep ?? ["id"]);
    reply = mapItems(reply, (items) => items.map((item) => Object.fromEntries(Object.entries(item).map(([k, v]) => [k, keep.has(k) ? v : null]))));
  }
  if (fault?.kind === "values") reply = mapItems(reply, (items) => items.map((item) => ({ ...item, ...fault.set })));
  const rows = state.latencyPerRowMs > 0 ? rowCount(reply.body) : 0;
  if (rows > 0) await sleep(rows * state.latencyPerRowMs);
  if (fault?.kind === "truncate") {
    truncate(res, reply, fault);
    finish(reply.status);
    return;
  }
  send(res, reply);
  finish(reply.status);
}

/** The number of records a reply lists (what per-row latency is charged for). */
function rowCount(body: unknown): number {
  if (Array.isArray(body)) return body.length;
  const data = body && typeof body === "object" ? (body as { data?: unknown }).data : undefined;
  return Array.isArray(data) ? data.length : body === undefined || body === null ? 0 : 1;
}

function answer(
  state: ServerState, method: string, parsed: Parsed | undefined, url: URL, token: string | undefined, entry: { ignoredParams?: string[] },
): Reply {
  if (!parsed || parsed.storeHash !== state.store.storeHash) {
    return withHeaders(errorReply(parsed?.api ?? "v3", 404, MESSAGES[404]!), state.rateLimiter.peek());
  }
  const { api } = parsed;
  if (token !== state.accessToken) {
    return withHeaders(errorReply(api, 401, MESSAGES[401]!), state.rateLimiter.peek());
  }
  const rate = state.rateLimiter.take();
  if (!rate.allowed) {
    return withHeaders(errorReply(api, 429, MESSAGES[429]!), { ...rate.headers, "X-Retry-After": String(rate.retryAfter) });
  }
  const found = findRoute(api, parsed.rest);
  if (!found) return withHeaders(errorReply(api, 404, MESSAGES[404]!), rate.headers);
  if (method !== "GET" && method !== "HEAD") return withHeaders(errorReply(api, 405, MESSAGES[405]!), { ...rate.headers, Allow: "GET" });
  if (!scopeAllows(state.scopes, found.route.scopes)) return withHeaders(errorReply(api, 403, MESSAGES[403]!), rate.headers);
  const q = new Query(url.searchParams);
  const ctx: Ctx = {
    store: state.store, q, params: found.params, origin: state.origin,
    v2Base: `${state.origin}/stores/${state.store.storeHash}/v2`,
  };
  let reply: Reply;
  try {
    reply = found.route.handle(ctx);
  } catch (error) {
    if (!(error instanceof BadParam)) throw error;
    reply = badParamReply(api, error);
  }
  const ignored = q.unused();
  if (ignored.length) entry.ignoredParams = ignored;
  return withHeaders(reply, rate.headers);
}

function withHeaders(reply: Reply, headers: Record<string, string>): Reply {
  return { ...reply, headers: { ...headers, ...reply.headers } };
}

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.status === 204 || reply.body === undefined) {
    res.writeHead(reply.status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  headers["Content-Type"] = "application/json";
  headers["Content-Length"] = String(new TextEncoder().encode(text).length);
  res.writeHead(reply.status, headers);
  res.end(text);
}

function truncate(res: ServerResponse, reply: Reply, fault: Extract<FaultRule, { kind: "truncate" }>): void {
  const text = reply.body === undefined ? "" : JSON.stringify(reply.body);
  const bytes = new TextEncoder().encode(text);
  const half = bytes.subarray(0, Math.floor(bytes.length / 2));
  const headers: Record<string, string> = { ...reply.headers, "Content-Type": "application/json" };
  if (fault.mode === "half-json") {
    headers["Content-Length"] = String(half.length);
    res.writeHead(reply.status, headers);
    res.end(half);
    return;
  }
  headers["Content-Length"] = String(bytes.length);
  res.writeHead(reply.status, headers);
  res.write(half, () => res.socket?.destroy());
}
