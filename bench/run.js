// The benchmark: `npm run bench` (after the build). One run on this machine, reported as ratios:
// API requests against the minimum, share of the rate-limit quota used and 429s, CPU of a full
// sync-and-load against DuckDB's own read_json of the same rows (the median of three), and memory over the run.
// Then an incremental load after --changed N orders changed (default a tenth of the orders), as a
// CPU ratio to the first load. Options: --orders N (default 20000); --quota N --window-ms N turn
// the emulator's rate limit on (150 per 1000 ms when only one is given: the Standard plan's quota
// on a window 30× shorter); without them it is off and the run measures our CPU and memory.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DuckDBInstance } from "@duckdb/node-api";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { validateConfig } from "../dist/src/config/load.js";
import { runLoad } from "../dist/src/commands/load-run.js";

/** A logger that drops everything (the load's log is not what is measured). */
const silent = Object.assign(() => {}, { debug() {}, info() {}, warn() {}, error() {} });

const { values } = parseArgs({
  options: {
    orders: { type: "string" }, quota: { type: "string" }, "window-ms": { type: "string" }, changed: { type: "string" },
  },
});
const orders = Number(values.orders ?? 20000);
// The rate limit is off unless --quota or --window-ms is given: the run measures our CPU and memory.
const limited = values.quota !== undefined || values["window-ms"] !== undefined;
const quota = Number(values.quota ?? 150);
const windowMs = Number(values["window-ms"] ?? 1000);
// Orders changed before the incremental load (default a tenth: 2 000 of 20 000).
const changed = Number(values.changed ?? Math.round(orders / 10));
const streams = ["orders", "order_products", "order_shipping_addresses", "order_coupons"];
const BIN = new URL("../bin/tap-bigcommerce.js", import.meta.url).pathname;

// The emulator runs in a process of its own, so that its CPU and memory are not counted as ours.
async function startEmulator(extra = []) {
  const child = spawn(process.execPath, [
    "--max-old-space-size=2048", BIN, "emulator", "--port", "0", "--orders", String(orders),
    ...(limited ? ["--quota", String(quota), "--window-ms", String(windowMs)] : ["--no-rate-limit"]), ...extra,
  ], { stdio: ["ignore", "pipe", "inherit"] });
  const ready = JSON.parse(await new Promise((resolve) => createInterface({ input: child.stdout }).once("line", resolve)));
  return { child, ready };
}

const dir = mkdtempSync(join(tmpdir(), "tap-bc-bench-"));
const db = join(dir, "bench.duckdb");

/** One load into `db` with this process's CPU, wall time and peak RSS over it. */
async function measuredLoad(emulator) {
  const config = validateConfig({
    store_hash: emulator.store_hash,
    access_token: emulator.access_token,
    start_date: "2000-01-01T00:00:00Z",
    api_url: emulator.api_url,
  });
  let peak = 0;
  const samples = [];
  const sampler = setInterval(() => {
    const rss = process.memoryUsage().rss;
    peak = Math.max(peak, rss);
    samples.push(rss);
  }, 100);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await runLoad({ config, selection: { streams }, path: db, schema: "bigcommerce", log: silent });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(sampler);
  return { result, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peak, samples };
}

const first = await startEmulator();
const load = await measuredLoad(first.ready);
first.child.kill("SIGTERM");
const { result, seconds, samples: rssSamples } = load;
const peakRss = load.peak;
const cpu = { user: load.cpuSeconds * 1e6, system: 0 };

// The incremental load: the same store with `changed` orders modified since.
let incremental;
if (changed > 0) {
  const second = await startEmulator(["--changed-orders", String(changed)]);
  incremental = await measuredLoad(second.ready);
  second.child.kill("SIGTERM");
}

// The minimum: v2 lists carry no total, so floor(n/250)+1 order pages; plus one request per order
// with a coupon and per order with more than 50 line items — what any loss-free reader must ask.
const instance = await DuckDBInstance.create(db);
const connection = await instance.connect();
const scalar = async (sql) => Number((await connection.runAndReadAll(sql)).getRows()[0][0]);
const withCoupons = await scalar("select count(*) from bigcommerce.orders where coupon_discount <> 0");
const bigOrders = await scalar("select count(*) from (select order_id from bigcommerce.order_products group by 1 having count(*) > 50)");
const minimum = Math.floor(orders / 250) + 1 + withCoupons + bigOrders;
const requests = result.requests;

// Baseline: DuckDB's own read_json of the same rows (exported as NDJSON first, not timed).
const tables = ["orders", "order_products", "order_shipping_addresses", "order_coupons"];
const rows = {};
for (const table of tables) {
  rows[table] = await scalar(`select count(*) from bigcommerce.${table}`);
  await connection.run(`copy (select * exclude (_extracted_at, _load_id, _deleted_at) from bigcommerce.${table}) to '${join(dir, table)}.json' (format json)`);
}
// The baseline varies by ±30% from one run to the next on this machine (thread scheduling, the
// page cache): it is run three times, each into a fresh schema, and the median is the ratio's base.
const baselines = [];
for (let run = 0; run < 3; run++) {
  const baseCpu0 = process.cpuUsage();
  const baseT0 = performance.now();
  await connection.run(`create schema base${run}`);
  for (const table of tables) await connection.run(`create table base${run}.${table} as select * from read_json('${join(dir, table)}.json')`);
  const wall = (performance.now() - baseT0) / 1000;
  const used = process.cpuUsage(baseCpu0);
  baselines.push({ cpu: (used.user + used.system) / 1e6, wall });
  await connection.run(`drop schema base${run} cascade`);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const baseCpuSeconds = median(baselines.map((b) => b.cpu));
const baseSeconds = median(baselines.map((b) => b.wall));
connection.closeSync();
instance.closeSync();
for (const table of tables) rmSync(`${join(dir, table)}.json`, { force: true });

const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const windows = Math.max(1, Math.ceil((seconds * 1000) / windowMs));
const half = Math.floor(rssSamples.length / 2);
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const records = Object.values(result.streams).reduce((n, s) => n + s.records, 0);
const report = {
  date: new Date().toISOString(),
  machine: `${cpus().length} × ${cpus()[0]?.model ?? "?"}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}`,
  orders,
  rows,
  quota: limited ? `${quota} per ${windowMs} ms` : "off",
  requests,
  minimum_requests: minimum,
  requests_over_minimum: +(requests / minimum).toFixed(3),
  responses_429: result.throttled,
  ...(limited && { quota_used: +(requests / (windows * quota)).toFixed(3) }),
  wall_seconds: +seconds.toFixed(2),
  records_per_second: Math.round(records / seconds),
  rows_per_second: Math.round(Object.values(result.rows).reduce((a, b) => a + b, 0) / seconds),
  cpu_seconds: +cpuSeconds.toFixed(2),
  read_json_cpu_seconds: +baseCpuSeconds.toFixed(2),
  read_json_cpu_seconds_runs: baselines.map((b) => +b.cpu.toFixed(2)),
  read_json_wall_seconds: +baseSeconds.toFixed(2),
  cpu_over_read_json: +(cpuSeconds / baseCpuSeconds).toFixed(2),
  peak_rss_mb: Math.round(peakRss / 2 ** 20),
  rss_mb_first_half_mean: Math.round(mean(rssSamples.slice(0, half)) / 2 ** 20),
  rss_mb_second_half_mean: Math.round(mean(rssSamples.slice(half)) / 2 ** 20),
  ...(incremental && {
    changed_orders: changed,
    incremental_records: Object.values(incremental.result.streams).reduce((n, s) => n + s.records, 0),
    incremental_wall_seconds: +incremental.seconds.toFixed(2),
    incremental_cpu_seconds: +incremental.cpuSeconds.toFixed(2),
    incremental_cpu_over_first_load: +(incremental.cpuSeconds / cpuSeconds).toFixed(3),
    incremental_peak_rss_mb: Math.round(incremental.peak / 2 ** 20),
  }),
};
const out = JSON.stringify(report, null, 2);
writeFileSync(join(dir, "bench.json"), out);
console.log(out);
