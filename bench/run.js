// The benchmark: `npm run bench` (after the build). One run on this machine, reported as ratios:
// API requests against the minimum, share of the rate-limit quota used and 429s, CPU of a full
// sync-and-load against DuckDB's own read_json of the same rows, and memory over the run.
// Options: --orders N (default 20000), --quota N --window-ms N (default 150 per 1000 ms: the
// Standard plan's quota on a window 30× shorter, so the run takes seconds, not minutes).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DuckDBInstance } from "@duckdb/node-api";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { validateConfig } from "../dist/src/config/load.js";
import { runLoad } from "../dist/src/commands/load-run.js";

const { values } = parseArgs({
  options: { orders: { type: "string" }, quota: { type: "string" }, "window-ms": { type: "string" } },
});
const orders = Number(values.orders ?? 20000);
const quota = Number(values.quota ?? 150);
const windowMs = Number(values["window-ms"] ?? 1000);
const streams = ["orders", "order_products", "order_shipping_addresses", "order_coupons"];

// The emulator runs in a process of its own, so that its CPU and memory are not counted as ours.
const emulatorProcess = spawn(process.execPath, [
  new URL("../bin/tap-bigcommerce.js", import.meta.url).pathname, "emulator", "--port", "0",
  "--orders", String(orders), "--quota", String(quota), "--window-ms", String(windowMs),
], { stdio: ["ignore", "pipe", "inherit"] });
const emulator = JSON.parse(await new Promise((resolve) => createInterface({ input: emulatorProcess.stdout }).once("line", resolve)));
const dir = mkdtempSync(join(tmpdir(), "tap-bc-bench-"));
const db = join(dir, "bench.duckdb");
const config = validateConfig({
  store_hash: emulator.store_hash,
  access_token: emulator.access_token,
  start_date: "2000-01-01T00:00:00Z",
  api_url: emulator.api_url,
});

let peakRss = 0;
const rssSamples = [];
const sampler = setInterval(() => {
  const rss = process.memoryUsage().rss;
  peakRss = Math.max(peakRss, rss);
  rssSamples.push(rss);
}, 100);

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const result = await runLoad({ config, selection: { streams }, path: db, schema: "bigcommerce", log: () => {} });
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
clearInterval(sampler);
emulatorProcess.kill("SIGTERM");

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
const baseCpu0 = process.cpuUsage();
const baseT0 = performance.now();
await connection.run("create schema base");
for (const table of tables) await connection.run(`create table base.${table} as select * from read_json('${join(dir, table)}.json')`);
const baseSeconds = (performance.now() - baseT0) / 1000;
const baseCpu = process.cpuUsage(baseCpu0);
connection.closeSync();
instance.closeSync();

const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const baseCpuSeconds = (baseCpu.user + baseCpu.system) / 1e6;
const windows = Math.max(1, Math.ceil((seconds * 1000) / windowMs));
const half = Math.floor(rssSamples.length / 2);
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const report = {
  orders,
  rows,
  quota: `${quota} per ${windowMs} ms`,
  requests,
  minimum_requests: minimum,
  requests_over_minimum: +(requests / minimum).toFixed(3),
  responses_429: result.throttled,
  quota_used: +(requests / (windows * quota)).toFixed(3),
  wall_seconds: +seconds.toFixed(2),
  cpu_seconds: +cpuSeconds.toFixed(2),
  read_json_cpu_seconds: +baseCpuSeconds.toFixed(2),
  read_json_wall_seconds: +baseSeconds.toFixed(2),
  cpu_over_read_json: +(cpuSeconds / baseCpuSeconds).toFixed(2),
  peak_rss_mb: Math.round(peakRss / 2 ** 20),
  rss_mb_first_half_mean: Math.round(mean(rssSamples.slice(0, half)) / 2 ** 20),
  rss_mb_second_half_mean: Math.round(mean(rssSamples.slice(half)) / 2 ** 20),
};
const out = JSON.stringify(report, null, 2);
writeFileSync(join(dir, "bench.json"), out);
console.log(out);
