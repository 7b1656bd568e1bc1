/** A load that outgrows `duckdb_memory_limit`: a runtime failure naming our setting, and a rerun with room completes. */
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.ts";
import { runCli, tempDir, writeFile } from "../support/cli.ts";
import { emulatorWithConfig } from "../support/emulator.ts";
import { query } from "./fixtures.ts";

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
    expect(failed.stderr).toContain("DuckDB ran out of memory within duckdb_memory_limit (4MB)");
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
});
