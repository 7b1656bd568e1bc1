/**
 * A load that outgrows `duckdb_memory_limit`: a runtime failure naming our setting, and a rerun
 * with room completes. A load into tables that hold no rows runs DuckDB at its append share of the
 * limit while it appends straight to the tables; a staged batch, a load into stored rows, or one
 * into a file with DuckDB's own 256 KiB blocks gets all of it, and so does what follows a load.
 */
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.ts";
import { runCli, tempDir, writeFile } from "../support/cli.ts";
import { emulatorWithConfig, FAST_RETRIES } from "../support/emulator.ts";
import { clientFor, sync } from "../../src/engine/sync.ts";
import type { SyncEvent } from "../../src/engine/types.ts";
import { order, orders, query, source } from "./fixtures.ts";
import { DuckDBDestination, loadEvents, type LoadOptions } from "../../src/destinations/duckdb/index.ts";
import { memoryBytes } from "../../src/memory-size.ts";

/** The debug line a load prints when it ran DuckDB at its append share. */
const APPEND_LINE = /DuckDB ran at memory_limit (\S+ \S+) \(37\.5% of duckdb_memory_limit 256MB\) while this load appended into tables that held no rows/;

describe("duckdb_memory_limit too small for a batch", () => {
  let emulator: Emulator;
  let raw: Record<string, unknown>;
  let dir: string;
  beforeAll(async () => {
    ({ emulator, raw } = await emulatorWithConfig({ sizes: { orders: 300 } }));
    dir = tempDir("tap-bc-memory-");
  });
  afterAll(() => emulator.close());

  it("fails with exit 1 naming duckdb_memory_limit and what to change; the next load with room resumes and completes", async () => {
    const db = join(dir, "small.duckdb");
    const tight = writeFile(dir, "tight.json", { ...raw, duckdb_memory_limit: "4MB" });
    const failed = await runCli(["load", "--config", tight, "--duckdb", db, "--streams", "orders"]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("DuckDB ran out of memory within duckdb_memory_limit (4MB;");
    expect(failed.stderr).toContain("raise duckdb_memory_limit");
    const [last] = await query(db, "select status from bigcommerce._loads order by started_at desc limit 1");
    expect(last.status).toBe("failed");

    const roomy = writeFile(dir, "roomy.json", raw);
    const rerun = await runCli(["load", "--config", roomy, "--duckdb", db, "--streams", "orders"]);
    expect(rerun.code, rerun.stderr).toBe(0);
    const [orders] = await query(db, "select count(*)::int as n, count(distinct id)::int as ids from bigcommerce.orders");
    expect(orders).toEqual({ n: 300, ids: 300 });
  }, 60_000);

  it("a file the load creates has 64 KiB blocks (a batch needs less memory per column); a file created before keeps its own and loads", async () => {
    const blockSize = async (db: string) => (await query(db, "select block_size::int as b from pragma_database_size() where database_name = current_database()"))[0]!.b;
    const config = writeFile(dir, "blocks.json", raw);
    const fresh = join(dir, "fresh.duckdb");
    const created = await runCli(["load", "--config", config, "--duckdb", fresh, "--streams", "orders"]);
    expect(created.code, created.stderr).toBe(0);
    expect(await blockSize(fresh)).toBe(65536);
    // DuckDB's default block size, as a file made by an earlier version (or by DuckDB itself) has.
    const earlier = join(dir, "earlier.duckdb");
    (await DuckDBInstance.create(earlier)).closeSync();
    expect(await blockSize(earlier)).toBe(262144);
    const loaded = await runCli(["load", "--config", config, "--duckdb", earlier, "--streams", "orders"]);
    expect(loaded.code, loaded.stderr).toBe(0);
    expect(await blockSize(earlier)).toBe(262144);
    const [orders] = await query(earlier, "select count(*)::int as n from bigcommerce.orders");
    expect(orders!.n).toBe(300);
  }, 60_000);

  it("a first load runs DuckDB at 37.5% of duckdb_memory_limit and loads everything; the next load, into stored rows, at all of it", async () => {
    const config = writeFile(dir, "share.json", { ...raw, duckdb_memory_limit: "256MB" });
    const db = join(dir, "share.duckdb");
    const streams = "orders,order_products,order_shipping_addresses,order_coupons";
    const first = await runCli(["load", "--config", config, "--duckdb", db, "--streams", streams, "--verbose"]);
    expect(first.code, first.stderr).toBe(0);
    // 256MB is 244.1 MiB to DuckDB; 3/8 of it 91.5 MiB.
    expect(APPEND_LINE.exec(first.stderr)?.[1]).toBe("91.5 MiB");
    const [orders] = await query(db, "select count(*)::int as n, count(distinct id)::int as ids from bigcommerce.orders");
    expect(orders).toEqual({ n: 300, ids: 300 });
    const second = await runCli(["load", "--config", config, "--duckdb", db, "--streams", streams, "--verbose"]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain("committed a batch");
    expect(second.stderr).not.toMatch(APPEND_LINE);
  }, 60_000);

  it("a file with DuckDB's 256 KiB blocks runs a first load at the whole limit", async () => {
    const config = writeFile(dir, "share-blocks.json", { ...raw, duckdb_memory_limit: "256MB" });
    const db = join(dir, "share-earlier.duckdb");
    (await DuckDBInstance.create(db)).closeSync();
    const loaded = await runCli(["load", "--config", config, "--duckdb", db, "--streams", "orders", "--verbose"]);
    expect(loaded.code, loaded.stderr).toBe(0);
    expect(loaded.stderr).toContain("committed a batch");
    expect(loaded.stderr).not.toMatch(APPEND_LINE);
  }, 60_000);

  it("a load gives DuckDB its whole limit back when it ends; without a limit it leaves DuckDB's own alone", async () => {
    const limitOf = async (destination: DuckDBDestination) => String((await destination.connection.runAndReadAll("select current_setting('memory_limit')")).getRows()[0]![0]);
    const path = join(dir, "whole.duckdb");
    const destination = await DuckDBDestination.open(path, "bigcommerce", { memoryLimit: "256MB" });
    try {
      const summary = await destination.load((async function* () {})());
      expect(summary.appendMemoryLimit).toBe("91.5 MiB");
      expect(await limitOf(destination)).toBe("244.1 MiB");
    } finally {
      destination.close();
    }
    const unlimited = await loadEvents((async function* () {})(), { path: join(dir, "unlimited.duckdb") });
    expect(unlimited.appendMemoryLimit).toBeUndefined();
  });

  /** Loads `events` into a new file at a 256MB limit; DuckDB's limit after each batch event, and the load's summary. */
  async function limitsDuring(name: string, events: (destination: DuckDBDestination) => AsyncGenerator<SyncEvent>, options: LoadOptions) {
    const destination = await DuckDBDestination.open(join(dir, `during-${name}.duckdb`), "bigcommerce", { memoryLimit: "256MB" });
    const seen: string[] = [];
    try {
      // The destination has handled each event by the time the generator resumes: DuckDB's limit then is the load's.
      async function* watched(): AsyncGenerator<SyncEvent> {
        for await (const event of events(destination)) {
          yield event;
          if (event.type === "batch") seen.push(String((await destination.connection.runAndReadAll("select current_setting('memory_limit')")).getRows()[0]![0]));
        }
      }
      return { summary: await destination.load(watched(), options), seen };
    } finally {
      destination.close();
    }
  }

  for (const [name, writeModes] of [
    ["a first load appended straight to the tables keeps DuckDB at its share while it runs", undefined],
    ["an append-mode first load, appended straight to the tables too, keeps DuckDB at its share", { orders: "append" as const }],
  ] as const) {
    it(name, async () => {
      const { emulator: store, config } = await emulatorWithConfig({ sizes: { orders: 60 } }, { page_size: 20 });
      try {
        const read = () => sync({ config, selection: { streams: ["orders"] }, state: { bookmarks: {} }, client: clientFor(config, FAST_RETRIES) });
        const { summary, seen } = await limitsDuring(writeModes ? "append" : "merge", read, { writeModes, batchRows: 20 });
        expect(summary.status).toBe("success");
        expect(summary.appendMemoryLimit).toBe("91.5 MiB");
        expect(summary.tables.orders!.rows).toBe(60);
        expect(seen.length).toBeGreaterThanOrEqual(3);
        expect(new Set(seen)).toEqual(new Set(["91.5 MiB"]));
      } finally {
        await store.close();
      }
    }, 30_000);
  }

  it("a first load whose batch is staged (a page that holds a key twice) gives DuckDB the whole limit from that batch on", async () => {
    const { summary, seen } = await limitsDuring("staged", () => source([order(1), ...orders(6)], { children: false }), { batchRows: 2 });
    expect(summary.status).toBe("success");
    expect(summary.appendMemoryLimit).toBe("91.5 MiB");
    expect(summary.tables.orders!.rows).toBe(7);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(new Set(seen)).toEqual(new Set(["244.1 MiB"]));
  }, 30_000);

  it("reads a limit the way DuckDB does: MB is 1000², MiB 1024²", () => {
    expect(memoryBytes("256MB")).toBe(256e6);
    expect(memoryBytes("1.5 GiB")).toBe(1.5 * 2 ** 30);
    expect(memoryBytes("512KiB")).toBe(512 * 1024);
    expect(memoryBytes("100B")).toBe(100);
    expect(memoryBytes("lots")).toBeUndefined();
    expect(memoryBytes("12 XB")).toBeUndefined();
  });
});
