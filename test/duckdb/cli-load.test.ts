/**
 * `load` through the real CLI against the emulator and real DuckDB files: Singer and DuckDB
 * agree on every table's row count, and a load killed with SIGKILL at any point, then run
 * again, ends with exactly the tables of one uninterrupted load.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { killedAfterCommits, killedLoad, runCli as run, tempDir, writeFile } from "../support/cli.ts";
import { differences, rowCounts } from "../support/duckdb.ts";
import { emulatorWithConfig } from "../support/emulator.ts";
import { query } from "./fixtures.ts";
import { registry } from "../../streams/index.ts";
import type { Emulator } from "../../src/emulator/index.ts";

describe("load through the CLI", () => {
  let emulator: Emulator;
  let dir: string;
  let config: string;
  /** Pages of 25: many batches per stream, so that kills land between commits even with streams read ahead. */
  let paged: string;
  beforeAll(async () => {
    let raw: Record<string, unknown>;
    // A store just big enough for 12 order pages of 25, and 60 of 5 (cursor windows); small, so each of the many loads is quick.
    ({ emulator, raw } = await emulatorWithConfig({ sizes: { orders: 300, customers: 120, products: 40 }, latencyMs: 4 }, { batch_rows: 500 }));
    dir = tempDir("tap-bc-load-");
    config = writeFile(dir, "config.json", raw);
    // Batches of two order pages: a kill can land between committed batches of one stream.
    paged = writeFile(dir, "paged.json", { ...raw, page_size: 25, batch_rows: 50 });
  });
  afterAll(() => emulator.close());

  it("writes the same row counts as the Singer output, for every table of every stream", async () => {
    // Its own smaller store: selecting everything includes the streams that cost a request per order
    // (60 orders still give every stream rows, a refund included).
    const small = await emulatorWithConfig({ sizes: { orders: 60, customers: 30, products: 20 }, latencyMs: 4 });
    const config = writeFile(dir, "small.config.json", small.raw);
    // Select everything, transactions (not selected by default) included.
    const discovered = await run(["--config", config, "--discover"]);
    expect(discovered.code, discovered.stderr).toBe(0);
    const catalog = JSON.parse(discovered.stdout) as { streams: { tap_stream_id: string; metadata: { breadcrumb: string[]; metadata: Record<string, unknown> }[] }[] };
    for (const entry of catalog.streams) entry.metadata.find((m) => m.breadcrumb.length === 0)!.metadata.selected = true;
    const catalogPath = join(dir, "all.catalog.json");
    writeFileSync(catalogPath, JSON.stringify(catalog));
    const singer = await run(["--config", config, "--catalog", catalogPath]);
    expect(singer.code, singer.stderr).toBe(0);
    // Many requests in flight listen to the run's abort signal at once: that is no leak, and no warning says so.
    expect(singer.stderr).not.toContain("MaxListenersExceededWarning");
    const records: Record<string, number> = {};
    for (const line of singer.stdout.split("\n")) {
      if (!line.startsWith('{"type":"RECORD"')) continue;
      const stream = JSON.parse(line).stream as string;
      records[stream] = (records[stream] ?? 0) + 1;
    }
    const db = join(dir, "agree.duckdb");
    const load = await run(["load", "--config", config, "--duckdb", db, "--catalog", catalogPath]);
    expect(load.stderr).not.toContain("error");
    expect(load.stderr).not.toContain("MaxListenersExceededWarning");
    expect(load.code).toBe(0);
    expect(load.stdout).toMatch(/\d+ rows in \d+ tables, \d+ API requests/);
    const counts = await rowCounts(db);
    expect(Object.keys(counts).length).toBeGreaterThan(20);
    for (const stream of registry) expect(counts[stream.name], stream.name).toBeGreaterThan(0);
    expect(counts).toEqual(records);
    await small.emulator.close();
  }, 180_000); // discovery, a Singer run and a load of every stream: slow on a loaded machine

  it("a second load of an unchanged store writes nothing new and keeps the tables", async () => {
    const db = join(dir, "twice.duckdb");
    expect((await run(["load", "--config", config, "--duckdb", db, "--streams", "orders,order_products,customers"])).code).toBe(0);
    const before = await rowCounts(db);
    emulator.log.clear();
    const second = await run(["load", "--config", config, "--duckdb", db, "--streams", "orders,order_products,customers"]);
    expect(second.code).toBe(0);
    expect(await rowCounts(db)).toEqual(before);
    expect(emulator.log.filter({ endpoint: "GET /v2/orders" }).filter((e) => e.query.is_deleted !== "true").length).toBe(1); // the live list (archived orders are one more request)
    const [loads] = await query(db, "select count(*)::int as n, count(*) filter (where status = 'success')::int as ok from bigcommerce._loads");
    expect(loads).toEqual({ n: 2, ok: 2 });
  });

  it("SIGKILL at several points, then a rerun, gives the tables of one uninterrupted load", async () => {
    const streams = "orders,order_products,order_shipping_addresses,order_coupons,customers,products,product_images";
    const reference = join(dir, "reference.duckdb");
    const before = emulator.log.count();
    expect((await run(["load", "--config", paged, "--duckdb", reference, "--streams", streams])).code).toBe(0);
    const requests = emulator.log.count() - before;
    const full = await rowCounts(reference);
    let interruptedMidway = 0;
    // Three phases: before the first batch commits, mid-orders (some batches committed), and while the later streams are read.
    for (const fraction of [0.1, 0.5, 0.9]) {
      const db = join(dir, `killed-${fraction}.duckdb`);
      const signal = await killedLoad(["load", "--config", paged, "--duckdb", db, "--streams", streams], emulator, Math.ceil(requests * fraction));
      if (signal === "SIGKILL") {
        const partial = await rowCounts(db).catch(() => ({} as Record<string, number>));
        const total = Object.values(partial).reduce((a, b) => a + b, 0);
        if (total > 0 && total < Object.values(full).reduce((a, b) => a + b, 0)) interruptedMidway++;
      }
      const rerun = await run(["load", "--config", paged, "--duckdb", db, "--streams", streams]);
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(await rowCounts(db)).toEqual(full);
      expect(Object.values(await differences(reference, db)).every((n) => n === 0)).toBe(true);
    }
    // At least one kill landed after some batches had committed and before the end.
    expect(interruptedMidway).toBeGreaterThan(0);
  }, 180_000); // seven loads

  it("SIGKILL mid-window with several cursor windows in flight, then a rerun, gives the rows of one uninterrupted load", async () => {
    // Pages of 5: 60 order pages, cut into 3 windows read at once, newest first (a first load).
    const windowed = writeFile(dir, "windowed.json", { ...JSON.parse(readFileSync(config, "utf8")), page_size: 5 });
    const streams = "orders,order_products";
    const reference = join(dir, "windowed-reference.duckdb");
    emulator.log.clear();
    expect((await run(["load", "--config", windowed, "--duckdb", reference, "--streams", streams])).code).toBe(0);
    expect(emulator.log.filter((e) => e.path === "/v2/orders" && e.query.max_date_modified !== undefined).length).toBeGreaterThan(0);
    const requests = emulator.log.count();
    const full = await rowCounts(reference);
    for (const fraction of [0.3, 0.65]) {
      const db = join(dir, `windowed-killed-${fraction}.duckdb`);
      await killedLoad(["load", "--config", windowed, "--duckdb", db, "--streams", streams], emulator, Math.ceil(requests * fraction));
      const rerun = await run(["load", "--config", windowed, "--duckdb", db, "--streams", streams]);
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(await rowCounts(db)).toEqual(full);
      expect(await differences(reference, db)).toEqual(Object.fromEntries(Object.keys(full).map((t) => [t, 0])));
    }
  }, 180_000); // five loads

  it("SIGKILL during a multi-page stream whose pages are not in cursor order, then a rerun, loses no record", async () => {
    // The store ignores `sort` on customers (their pages come in id order), and pages hold 4 customers.
    emulator.setFaults([{ kind: "ignore-param", param: "sort", match: "/v3/customers?", times: 1e9 }]);
    // One page per batch: each kill lands right after a committed batch, early and late in the stream.
    const small = writeFile(dir, "small-pages.json", { ...JSON.parse(readFileSync(config, "utf8")), page_size: 4, batch_rows: 4 });
    const args = (db: string) => ["load", "--config", small, "--duckdb", db, "--streams", "customers"];
    try {
      const reference = join(dir, "unsorted-reference.duckdb");
      const before = emulator.log.count();
      expect((await run(args(reference))).code).toBe(0);
      expect(emulator.log.count() - before).toBeGreaterThan(30);
      const full = await rowCounts(reference);
      expect(full.customers).toBe(emulator.store.customers.length);
      for (const commits of [2, 20]) {
        const db = join(dir, `unsorted-killed-${commits}.duckdb`);
        expect(await killedAfterCommits(args(db), commits)).toBe("SIGKILL");
        const partial = await rowCounts(db);
        expect(partial.customers, `after ${commits} committed pages`).toBeGreaterThan(0);
        expect(partial.customers).toBeLessThan(full.customers);
        const rerun = await run(args(db));
        expect(rerun.code, rerun.stderr).toBe(0);
        expect(await rowCounts(db)).toEqual(full);
        // customers and its split tables (store credit and attribute values, inline with include=storecredit,attributes)
        expect(await differences(reference, db)).toEqual({ customers: 0, customers_attributes: 0, customers_store_credit_amounts: 0 });
      }
    } finally {
      emulator.setFaults([]);
    }
  }, 180_000); // five loads
});
