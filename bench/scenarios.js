// Speed against the store's own bounds (`npm run bench`, after bench/run.js; or alone after the
// build: `node bench/scenarios.js [--orders N] [--only latency|quota]`). Each scenario loads the
// default selection of an emulator store into a fresh DuckDB file, with the emulator answering in
// BASE ms + PER_ROW ms per listed record, and reports the wall time as a ratio to the quota bound
// (requests ÷ the quota's rate: no reader could finish sooner), the share of the quota used,
// the 429s, the peak of requests in flight the emulator saw, and the requests per stream.
//   latency-bound: 200 ms + 4 ms/row, quota 150 per 3 s  (target: wall ≤ 1.3 × bound)
//   quota-bound:   200 ms + 4 ms/row, quota 30 per 3 s   (target: ≥ 0.90 of the quota used, ≤ 3 429s)
// The emulator runs in a worker thread: a store's answers do not wait for our event loop (as a
// real store's do not), and its in-flight count is asked for over the worker's message port.
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

/** A logger that drops everything (the load's log is not what is measured). */
const silent = Object.assign(() => {}, { debug() {}, info() {}, warn() {}, error() {} });

if (!isMainThread) {
  const { startEmulator } = await import("../dist/src/emulator/index.js");
  const { orders, scenario } = workerData;
  const emulator = await startEmulator({
    sizes: { orders },
    rateLimit: { quota: scenario.quota, windowMs: scenario.windowMs },
    latencyMs: scenario.latencyMs,
    latencyPerRowMs: scenario.perRowMs,
  });
  parentPort.on("message", async (message) => {
    if (message === "in-flight") parentPort.postMessage({ inFlight: emulator.inFlight() });
    if (message === "close") {
      await emulator.close();
      parentPort.close();
    }
  });
  parentPort.postMessage({ url: emulator.url, storeHash: emulator.storeHash, accessToken: emulator.accessToken });
} else {
  const { validateConfig } = await import("../dist/src/config/load.js");
  const { runLoad } = await import("../dist/src/commands/load-run.js");
  const { defaultSelection } = await import("../dist/src/engine/catalog.js");
  const { values } = parseArgs({ options: { orders: { type: "string" }, only: { type: "string" } } });
  const orders = Number(values.orders ?? 20000);
  const SCENARIOS = [
    { name: "latency-bound", quota: 150, windowMs: 3000, latencyMs: 200, perRowMs: 4 },
    { name: "quota-bound", quota: 30, windowMs: 3000, latencyMs: 200, perRowMs: 4 },
  ].filter((s) => !values.only || s.name.startsWith(values.only));

  const results = [];
  for (const scenario of SCENARIOS) {
    const worker = new Worker(new URL(import.meta.url), { workerData: { orders, scenario } });
    const ask = () => new Promise((resolve) => worker.once("message", resolve));
    const emulator = await ask();
    const dir = mkdtempSync(join(tmpdir(), "tap-bc-scenario-"));
    const config = validateConfig({
      store_hash: emulator.storeHash,
      access_token: emulator.accessToken,
      start_date: "2000-01-01T00:00:00Z",
      api_url: emulator.url,
    });
    const load0 = loadavg()[0];
    const t0 = performance.now();
    const result = await runLoad({ config, selection: defaultSelection(), path: join(dir, "bench.duckdb"), schema: "bigcommerce", log: silent });
    const seconds = (performance.now() - t0) / 1000;
    const inFlight = ask();
    worker.postMessage("in-flight");
    const peak = (await inFlight).inFlight.peak;
    worker.postMessage("close");
    await new Promise((resolve) => worker.once("exit", resolve));
    rmSync(dir, { recursive: true, force: true });
    const rate = scenario.quota / (scenario.windowMs / 1000); // requests per second the quota allows
    const bound = result.requests / rate;
    // The request plan: requests per stream (a child's own; its parent's count is its list's and the child's together).
    const plan = Object.fromEntries(Object.entries(result.streams).filter(([, s]) => s.requests > 0).map(([name, s]) => [name, s.requests]));
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
      load_average: `${load0.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after`,
      requests_per_stream: plan,
    });
  }
  console.log(JSON.stringify(results, null, 2));
}
