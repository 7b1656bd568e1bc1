/** Test helpers: an emulator store and a config that points at it. */
import { type Config, validateConfig } from "../../src/config/load.ts";
import { type Emulator, type EmulatorOptions, startEmulator } from "../../src/emulator/index.ts";
import { sync, type SyncOptions } from "../../src/engine/sync.ts";
import type { Row, State } from "../../src/engine/types.ts";

/** Starts an emulator (no rate limit unless asked) and gives a config for it. */
export async function emulatorWithConfig(
  options: EmulatorOptions = {},
  settings: Record<string, unknown> = {},
): Promise<{ emulator: Emulator; config: Config; raw: Record<string, unknown> }> {
  const emulator = await startEmulator({ rateLimit: false, ...options });
  const raw = {
    store_hash: emulator.storeHash,
    access_token: emulator.accessToken,
    start_date: "2000-01-01T00:00:00Z",
    api_url: emulator.url,
    ...settings,
  };
  return { emulator, config: validateConfig(raw), raw };
}

/** Fast retries for tests. */
export const FAST_RETRIES = { backoffBaseMs: 5, maxBackoffMs: 20 };

/** Runs a sync to the end; returns rows per table, the final state and the skip notices. */
export async function collect(options: SyncOptions): Promise<{ rows: Map<string, Row[]>; state: State; skipped: string[] }> {
  const rows = new Map<string, Row[]>();
  const skipped: string[] = [];
  let state: State = { bookmarks: {} };
  for await (const event of sync({ clientOptions: FAST_RETRIES, ...options })) {
    if (event.type === "batch") {
      for (const [table, list] of event.rows) rows.set(table, [...(rows.get(table) ?? []), ...list]);
      state = event.state;
    }
    if (event.type === "stream-skipped") skipped.push(event.reason);
  }
  return { rows, state, skipped };
}

/** The requests of an archived-orders id sweep in the emulator's log: orders/count and orders pages asked by id range. */
export function sweepRequests(emulator: Emulator): { counts: number; pages: number } {
  const byId = (e: { query: Record<string, string> }) => e.query.min_id !== undefined;
  return {
    counts: emulator.log.filter({ endpoint: "GET /v2/orders/count" }).filter(byId).length,
    pages: emulator.log.filter({ endpoint: "GET /v2/orders" }).filter(byId).length,
  };
}
