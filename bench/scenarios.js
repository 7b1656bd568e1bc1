// Speed against the store's own bounds (`npm run bench`, after bench/run.js; or alone after the
// build: `node bench/scenarios.js [--orders N] [--only latency|quota]`). Each scenario loads the
// default selection of an emulator store into a fresh DuckDB file, with the emulator answering in
// BASE ms + PER_ROW ms per listed record, and reports the wall time as a ratio to the quota bound
// (requests ÷ the quota's rate: no reader could finish sooner), the share of the quota used,
// the 429s and the peak of requests in flight the emulator saw.
//   latency-bound: 200 ms + 4 ms/row, quota 150 per 3 s  (target: wall ≤ 1.3 × bound)
//   quota-bound:   200 ms + 4 ms/row, quota 30 per 3 s   (target: ≥ 0.90 of the quota used, ≤ 3 429s)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { validateConfig } from "../dist/src/config/load.js";
import { runLoad } from "../dist/src/commands/load-run.js";
import { defaultSelection } from "../dist/src/engine/catalog.js";
import { startEmulator } from "../dist/src/emulator/index.js";

const { values } = parseArgs({ options: { orders: { type: "string" }, only: { type: "string" } } });
const orders = Number(values.orders ?? 20000);
const SCENARIOS = [
  { name: "latency-bound", quota: 150, windowMs: 3000, latencyMs: 200, perRowMs: 4 },
  { name: "quota-bound", quota: 30, windowMs: 3000, latencyMs: 200, perRowMs: 4 },
].filter((s) => !values.only || s.name.startsWith(values.only));

const results = [];
for (const scenario of SCENARIOS) {
  // In this process: the emulator only sleeps (latency) and serves pages, and its in-flight count is read directly.
  const emulator = await startEmulator({
    sizes: { orders },
    rateLimit: { quota: scenario.quota, windowMs: scenario.windowMs },
    latencyMs: scenario.latencyMs,
    latencyPerRowMs: scenario.perRowMs,
  });
  const dir = mkdtempSync(join(tmpdir(), "tap-bc-scenario-"));
  const config = validateConfig({
    store_hash: emulator.storeHash,
    access_token: emulator.accessToken,
    start_date: "2000-01-01T00:00:00Z",
    api_url: emulator.url,
  });
  const t0 = performance.now();
  const result = await runLoad({ config, selection: defaultSelection(), path: join(dir, "bench.duckdb"), schema: "bigcommerce", log: () => {} });
  const seconds = (performance.now() - t0) / 1000;
  const peak = emulator.inFlight().peak;
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
  const rate = scenario.quota / (scenario.windowMs / 1000); // requests per second the quota allows
  const bound = result.requests / rate;
  results.push({
    scenario: scenario.name,
    orders,
    latency: `${scenario.latencyMs} ms + ${scenario.perRowMs} ms/row`,
    quota: `${scenario.quota} per ${scenario.windowMs} ms`,
    requests: result.requests,
    responses_429: result.throttled,
    quota_bound_seconds: +bound.toFixed(1),
    wall_seconds: +seconds.toFixed(1),
    wall_over_bound: +(seconds / bound).toFixed(2),
    quota_used: +(bound / seconds).toFixed(2),
    peak_in_flight: peak,
    max_concurrency: config.max_concurrency,
  });
}
console.log(JSON.stringify(results, null, 2));
