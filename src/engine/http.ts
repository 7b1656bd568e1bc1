/**
 * One API request, done right: the auth headers, pacing through the throttle, retries with
 * capped exponential backoff on 5xx, network errors, timeouts and truncated bodies, 429s
 * waited out, and errors that name the endpoint (never the token).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { Buffer } from "node:buffer";
import { setMaxListeners } from "node:events";
import { promisify } from "node:util";
import { gunzip, inflate } from "node:zlib";
import { Agent, type Dispatcher, request } from "undici";
import { RuntimeFailure } from "../errors.ts";
import { counted } from "../plural.ts";
import { readRateLimit, sleep, Throttle } from "./throttle.ts";

/** A response: parsed JSON body, or null for 204 No Content. */
export interface ApiResponse {
  status: number;
  body: unknown;
  headers: Headers;
}

/** The token lacks the OAuth scope an endpoint needs (403). */
export class ScopeError extends Error {
  constructor(readonly path: string, message: string) {
    super(message);
    this.name = "ScopeError";
  }
}

/** The API answered 404 for a path. Only the caller knows whether that can mean "none" (see `ChildSource`). */
export class NotFoundError extends RuntimeFailure {
  constructor(readonly path: string, message: string) {
    super(message);
    this.name = "NotFoundError";
  }
}

/** The API rejected the access token (401). */
export class AuthError extends RuntimeFailure {
  constructor(readonly path: string, message: string) {
    super(message);
    this.name = "AuthError";
  }
}

/** Settings of the client. */
export interface ClientOptions {
  apiUrl: string;
  storeHash: string;
  accessToken: string;
  clientId?: string;
  timeoutSeconds: number;
  maxRetries: number;
  maxConcurrency: number;
  rateLimitReserve: number;
  /** First backoff delay in ms (doubles each retry, capped at `maxBackoffMs`). */
  backoffBaseMs?: number;
  maxBackoffMs?: number;
  /** Told about retries and waits; never given the token. */
  onRetry?: (info: { path: string; attempt: number; reason: string; delayMs: number }) => void;
  /** Told when requests wait for the rate-limit window (the quota is spent), with the wait in ms. */
  onWait?: (ms: number) => void;
  /** Told about every JSON answer (progress reads list totals from it); never given the token. */
  onResponse?: (info: { path: string; body: unknown }) => void;
  /** Aborts requests in flight and every wait; `get` then rejects with the signal's reason (an interrupt). */
  signal?: AbortSignal;
}

/** Retries allowed for 429s that carry rate-limit headers (ordinary throttling, not a failure). */
const MAX_THROTTLED_RETRIES = 100;
/** Quick retries when no connection can be made at all (refused, unknown host): a typo in api_url fails in seconds. */
const CONNECT_RETRIES = 2;
const CONNECT_RETRY_MS = 250;
/** Error codes meaning nothing listens at the address, or the address does not exist. */
const CANNOT_CONNECT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL"]);

/** A tally of the requests made on behalf of one reader (a stream), however many readers run at once. */
export interface RequestTally {
  requests: number;
}

const tallies = new AsyncLocalStorage<RequestTally>();

/** Runs a reader with every request it makes (in whatever async work it starts) counted in `tally`. */
export async function* tallied<T>(tally: RequestTally, reader: AsyncGenerator<T>): AsyncGenerator<T> {
  try {
    for (;;) {
      const next = await tallies.run(tally, () => reader.next());
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await reader.return(undefined);
  }
}

/** An HTTP client for one store's API. */
export class ApiClient {
  readonly throttle: Throttle;
  /** Requests sent, retries included. */
  requests = 0;
  /** 429 responses received. */
  throttled = 0;
  readonly #base: string;
  readonly #headers: Record<string, string>;
  /** Kept-alive connections, up to `maxConcurrency` per origin. */
  readonly #agent: Agent;

  constructor(private readonly options: ClientOptions) {
    this.throttle = new Throttle(options.maxConcurrency, options.rateLimitReserve);
    this.throttle.onWait = options.onWait;
    this.#base = `${options.apiUrl.replace(/\/+$/, "")}/stores/${options.storeHash}/`;
    this.#headers = { "X-Auth-Token": options.accessToken, Accept: "application/json", "Accept-Encoding": "gzip, deflate" };
    this.#agent = new Agent({ connections: options.maxConcurrency });
    if (options.clientId) this.#headers["X-Auth-Client"] = options.clientId;
    // Every request in flight and every wait for the quota listens to the run's signal (removed when it settles):
    // up to `max_concurrency` requests and their queued waiters at once is the design, not a leak to warn about.
    if (options.signal) setMaxListeners(0, options.signal);
  }

  /** GET `{api}/{path}` with query parameters; retries what is worth retrying. */
  async get(api: "v2" | "v3", path: string, query: Record<string, string | number> = {}): Promise<ApiResponse> {
    const label = `${api}/${path}`;
    let failures = 0;
    let throttledRetries = 0;
    let refused = 0;
    const abort = this.options.signal;
    for (;;) {
      abort?.throwIfAborted();
      const ticket = await abortable(this.throttle.acquire(), abort, (t) => this.throttle.release(t));
      this.requests++;
      const tally = tallies.getStore();
      if (tally) tally.requests++;
      const sent = performance.now();
      let status: number;
      let headers: Headers;
      let text: string;
      try {
        const response = await request(this.#base + label, {
          query,
          headers: this.#headers,
          dispatcher: this.#agent,
          ...withTimeout(this.options.timeoutSeconds * 1000, abort),
        });
        status = response.statusCode;
        headers = webHeaders(response.headers);
        text = await bodyText(response);
      } catch (error) {
        this.throttle.release(ticket);
        abort?.throwIfAborted();
        const code = connectErrorCode(error);
        if (code) {
          if (++refused > CONNECT_RETRIES) throw new RuntimeFailure(`cannot connect to ${this.options.apiUrl}: ${code}`);
          this.options.onRetry?.({ path: label, attempt: refused, reason: code, delayMs: CONNECT_RETRY_MS });
          await abortable(sleep(CONNECT_RETRY_MS), abort);
          continue;
        }
        failures = await this.#backoff(label, failures, describeNetworkError(error));
        continue;
      }
      const reading = readRateLimit(headers);
      this.throttle.release(ticket, { reading, latencyMs: performance.now() - sent, kind: latencyKind(api, path, query), throttled: status === 429 });
      if (status === 429) {
        this.throttled++;
        const retryAfter = Number(headers.get("x-retry-after"));
        if (reading || Number.isFinite(retryAfter) && retryAfter > 0) {
          const waitMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : reading!.resetMs;
          if (++throttledRetries > MAX_THROTTLED_RETRIES) throw new RuntimeFailure(`${label}: still rate-limited after ${MAX_THROTTLED_RETRIES} waits`);
          this.throttle.pause(waitMs);
          this.options.onRetry?.({ path: label, attempt: throttledRetries, reason: "429 rate limited", delayMs: waitMs });
          continue;
        }
        // A 429 without rate-limit headers is platform overload: back off like a 5xx.
        failures = await this.#backoff(label, failures, "429 without rate-limit headers (platform overload)", true);
        continue;
      }
      if (status >= 500) {
        failures = await this.#backoff(label, failures, `HTTP ${status}`);
        continue;
      }
      if (status === 204) return { status, body: null, headers };
      if (status < 300 && text.trim() === "") {
        // A 200 without a body is not "no rows": it is a broken answer.
        failures = await this.#backoff(label, failures, `HTTP ${status} with an empty body`);
        continue;
      }
      if (status < 300) {
        try {
          const body: unknown = JSON.parse(text);
          this.options.onResponse?.({ path: label, body });
          return { status, body, headers };
        } catch {
          failures = await this.#backoff(label, failures, `truncated or non-JSON body (${text.length} bytes)`);
          continue;
        }
      }
      const message = errorMessage(text);
      if (status === 401) {
        throw new AuthError(label, `${label}: the access token was rejected (401${message ? `: ${message}` : ""}); check access_token and store_hash`);
      }
      if (status === 403) throw new ScopeError(label, `${label}: forbidden (403${message ? `: ${message}` : ""})`);
      if (status === 404) throw new NotFoundError(label, `${label}: not found (404${message ? `: ${message}` : ""})`);
      throw new RuntimeFailure(`${label}: HTTP ${status}${message ? `: ${message}` : ""}`);
    }
  }

  /** Waits before the next attempt, or fails when the retries are spent. Returns the new failure count. */
  async #backoff(label: string, failures: number, reason: string, pauseAll = false): Promise<number> {
    if (failures >= this.options.maxRetries) {
      throw new RuntimeFailure(`${label}: ${reason}; gave up after ${counted(failures + 1, "attempt")}`);
    }
    const base = this.options.backoffBaseMs ?? 500;
    const cap = this.options.maxBackoffMs ?? 30_000;
    const delayMs = Math.min(cap, base * 2 ** failures) * (0.75 + Math.random() * 0.5);
    this.options.onRetry?.({ path: label, attempt: failures + 1, reason, delayMs: Math.round(delayMs) });
    if (pauseAll) this.throttle.pause(delayMs);
    await abortable(sleep(delayMs), this.options.signal);
    return failures + 1;
  }
}

/**
 * Settles like `promise`, or rejects with the signal's reason as soon as it aborts; `undo`
 * runs if the promise resolves after that (to give back what it acquired).
 */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined, undo?: (value: T) => void): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        if (signal.aborted) undo?.(value);
        else resolve(value);
      },
      (error) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** A request's abort signal: the run's, and the request timeout (headers and body in `timeoutMs` altogether). */
function withTimeout(timeoutMs: number, signal: AbortSignal | undefined): { signal: AbortSignal } {
  // AbortSignal.any is Node 20.3+; before it, an interrupt waits for the request in flight.
  const timeout = AbortSignal.timeout(timeoutMs);
  return { signal: signal && typeof AbortSignal.any === "function" ? AbortSignal.any([signal, timeout]) : timeout };
}

/** A response's headers as web `Headers` (repeated headers joined with `, `). */
function webHeaders(raw: Dispatcher.ResponseData["headers"]): Headers {
  const headers = new Headers();
  for (const name in raw) {
    const value = raw[name];
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  return headers;
}

/** zlib on its thread pool: a large page is not decompressed on the event loop other answers and timers wait on. */
const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

/** The body as text, decompressed when the server compressed it (we ask for gzip or deflate). */
async function bodyText(response: Dispatcher.ResponseData): Promise<string> {
  const encoding = String(response.headers["content-encoding"] ?? "").trim().toLowerCase();
  const bytes = Buffer.from(await response.body.arrayBuffer());
  if (encoding === "" || encoding === "identity") return decoded(bytes);
  if (bytes.length === 0) return ""; // nothing to decompress (e.g. a 204 that names an encoding)
  if (encoding === "gzip" || encoding === "x-gzip") return decoded(await gunzipAsync(bytes));
  if (encoding === "deflate") return decoded(await inflateAsync(bytes));
  throw new Error(`unsupported content-encoding ${encoding}`);
}

/** UTF-8 bytes as a string, a leading byte-order mark dropped (JSON.parse rejects one). */
function decoded(bytes: Buffer): string {
  const text = bytes.toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The code of an error that means no connection could be made (nothing to retry for long), else undefined. */
function connectErrorCode(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === "string" && CANNOT_CONNECT.has(e.code)) return e.code;
  }
  return undefined;
}

function describeNetworkError(error: unknown): string {
  const e = error as { code?: string; name?: string; message?: string } | undefined;
  return `network error: ${e?.code ?? e?.name ?? ""} ${e?.message ?? String(error)}`.replace(/https?:\/\/\S+/g, "<url>").trim();
}

/** The message of a BigCommerce error body (v2: `[{status, message}]`; v3: `{title, errors}`). */
function errorMessage(text: string): string {
  try {
    const body = JSON.parse(text);
    if (Array.isArray(body)) return body.map((e) => e?.message).filter(Boolean).join("; ");
    if (body && typeof body === "object") {
      const errors = body.errors && typeof body.errors === "object" ? Object.values(body.errors).join("; ") : "";
      return [body.title, errors].filter(Boolean).join(": ");
    }
  } catch {
    // not JSON
  }
  return text.slice(0, 200);
}

/**
 * Requests whose latency is comparable: the path without ids, and the page size asked (a
 * one-record page, such as a window's sizing request, answers sooner than a full page of the
 * same list, and must not make full pages look like a store straining).
 */
function latencyKind(api: string, path: string, query: Record<string, string | number>): string {
  const kind = `${api}/${path.replace(/\d+/g, "{n}")}`;
  return query.limit === undefined ? kind : `${kind}?limit=${query.limit}`;
}
