/**
 * The BigCommerce API emulator: a seeded, internally consistent store served over HTTP with
 * BigCommerce's v2/v3 shapes, pagination styles, rate limits and error bodies, plus injected
 * faults and a request log. Used by the tests, the benchmark and the offline demo.
 *
 *   const emu = await startEmulator({ seed: 7, sizes: { orders: 300 } });
 *   fetch(`${emu.url}/stores/${emu.storeHash}/v2/orders`, { headers: { "X-Auth-Token": emu.accessToken } });
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createStore, type EmulatorStore } from "./data/store.ts";
import type { StoreSizes } from "./data/generate.ts";
import { type FaultRule, Faults } from "./http/faults.ts";
import { RequestLog } from "./http/log.ts";
import { RateLimiter, type RateLimitOptions } from "./http/rate-limit.ts";
import { createListener, type ServerState } from "./http/server.ts";

export { createStore, EmulatorStore, type At, type FieldValue, type ResourceName, type StoreOptions } from "./data/store.ts";
export { DEFAULT_SIZES, type StoreSizes } from "./data/generate.ts";
export { REFERENCE_DATE } from "./data/gen-common.ts";
export type { FaultRule, FaultScope } from "./http/faults.ts";
export { misbehaviourRule, NAMED_MISBEHAVIOURS } from "./http/misbehave.ts";
export { endpointOf, type LogEntry, type LogFilter, RequestLog } from "./http/log.ts";
export { DEFAULT_QUOTA, DEFAULT_WINDOW_MS, type RateLimitOptions } from "./http/rate-limit.ts";
export { runEmulatorCommand } from "./cli.ts";

/** Every OAuth scope the emulator knows (the read-only ones the endpoints need). */
export const ALL_SCOPES: readonly string[] = [
  "store_v2_orders_read_only", "store_v2_transactions_read_only", "store_v2_customers_read_only", "store_v2_products_read_only",
  "store_inventory_read_only", "store_v2_information_read_only", "store_v2_marketing_read_only", "store_channel_settings_read_only",
  "store_v2_content_read_only",
];

/** Default store hash. */
export const DEFAULT_STORE_HASH = "s0demo";
/** Default access token (a demo value, not a secret). */
export const DEFAULT_ACCESS_TOKEN = "emulator-demo-token";

/** Options of `startEmulator`. Everything is optional. */
export interface EmulatorOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Store hash served under `/stores/{hash}` (default `s0demo`). */
  storeHash?: string;
  /** Token expected in `X-Auth-Token` (default `emulator-demo-token`). */
  accessToken?: string;
  /** Seed of the generated data (default 1). */
  seed?: string | number;
  /** Record counts (default `DEFAULT_SIZES`: 1200 orders, 300 customers, 120 products, 12 brands…). */
  sizes?: Partial<StoreSizes>;
  /** Quota per fixed window (default 150 per 30 000 ms); `false` disables the limit and its headers. */
  rateLimit?: RateLimitOptions | false;
  /** Delay before every answer, in ms (default 0). */
  latencyMs?: number;
  /** Further delay per record an answer lists, in ms (default 0): a page of 250 costs 250 × this. */
  latencyPerRowMs?: number;
  /** Granted OAuth scopes (default: all). Endpoints outside them answer 403. */
  scopes?: readonly string[];
  /** Serve this store instead of generating one. */
  store?: EmulatorStore;
  /** The fault plan to start with (see `setFaults`); standing misbehaviours have `times: Infinity`. */
  faults?: readonly FaultRule[];
}

/** A running emulator. */
export interface Emulator {
  /** Base URL, e.g. `http://127.0.0.1:54321` (the `api_url` setting). */
  url: string;
  storeHash: string;
  accessToken: string;
  /** The generated data; mutate it through its helpers (`touchOrder`, `addProduct`, `addField`…). */
  store: EmulatorStore;
  /** Every request seen. */
  log: RequestLog;
  /** Replaces the fault plan (rules are taken in order by the requests they match). */
  setFaults(rules: readonly FaultRule[]): void;
  /** Fault rules not yet used up. */
  pendingFaults(): Array<FaultRule & { times: number }>;
  /** Changes the quota (starting a fresh window), or disables it with `false`. */
  setRateLimit(options: RateLimitOptions | false): void;
  /** Changes the granted scopes (`null`: all). */
  setScopes(scopes: readonly string[] | null): void;
  /** Changes the delay before every answer, and per record it lists (default 0). */
  setLatency(ms: number, perRowMs?: number): void;
  /** Requests being answered now, and the most at once since the start (or the last `resetPeakInFlight`). */
  inFlight(): { now: number; peak: number };
  /** Starts measuring the peak of requests in flight afresh. */
  resetPeakInFlight(): void;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/** Generates a store and serves it; resolves once listening. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const storeHash = options.store?.storeHash ?? options.storeHash ?? DEFAULT_STORE_HASH;
  const store = options.store ?? createStore({ storeHash, seed: options.seed, sizes: options.sizes });
  const state: ServerState = {
    store,
    accessToken: options.accessToken ?? DEFAULT_ACCESS_TOKEN,
    scopes: options.scopes ? new Set(options.scopes) : null,
    rateLimiter: new RateLimiter(options.rateLimit ?? {}),
    faults: Faults.of(options.faults ?? []),
    log: new RequestLog(),
    latencyMs: options.latencyMs ?? 0,
    latencyPerRowMs: options.latencyPerRowMs ?? 0,
    inFlight: { now: 0, peak: 0 },
    origin: "",
  };
  // Idle connections stay open a minute (Node's default is 5 s): a client that pauses longer
  // than that between requests (a test compiling a large schema) would race the close.
  const server = createServer({ keepAliveTimeout: 60_000 }, createListener(state));
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  state.origin = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    url: state.origin,
    storeHash,
    accessToken: state.accessToken,
    store,
    log: state.log,
    setFaults: (rules) => state.faults.set(rules),
    pendingFaults: () => state.faults.pending(),
    setRateLimit: (rate) => state.rateLimiter.configure(rate),
    setScopes: (scopes) => (state.scopes = scopes ? new Set(scopes) : null),
    setLatency: (ms, perRowMs = 0) => {
      state.latencyMs = ms;
      state.latencyPerRowMs = perRowMs;
    },
    inFlight: () => ({ ...state.inFlight }),
    resetPeakInFlight: () => (state.inFlight.peak = state.inFlight.now),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
