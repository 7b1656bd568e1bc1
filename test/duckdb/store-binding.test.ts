/**
 * One schema, one store, through the real CLI: the first load records the store in the
 * schema's state; a load of another store into that schema is bad input (exit 2) naming both
 * stores and suggesting --schema, with nothing written; a Singer state of another store is
 * refused the same way. `--duckdb` on an existing file that is not a DuckDB database is exit 2.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.ts";
import { lastState, parseSinger, runCli, tempDir, writeFile } from "../support/cli.ts";
import { emulatorWithConfig } from "../support/emulator.ts";
import { query } from "./fixtures.ts";

let shopA: Emulator;
let shopB: Emulator;
let dir: string;
let configA: string;
let configB: string;

beforeAll(async () => {
  let rawA: Record<string, unknown>;
  let rawB: Record<string, unknown>;
  ({ emulator: shopA, raw: rawA } = await emulatorWithConfig({ storeHash: "shopa1", sizes: { orders: 10, customers: 5 } }));
  ({ emulator: shopB, raw: rawB } = await emulatorWithConfig({ storeHash: "shopb2", seed: 2, sizes: { orders: 10, customers: 5 } }));
  dir = tempDir("tap-bc-store-binding-");
  configA = writeFile(dir, "a.json", rawA);
  configB = writeFile(dir, "b.json", rawB);
});
afterAll(async () => {
  await shopA?.close();
  await shopB?.close();
});

describe("one schema, one store", () => {
  it("a second store into the same schema is exit 2 naming both stores; --schema keeps them apart", async () => {
    const db = join(dir, "shops.duckdb");
    const first = await runCli(["load", "--config", configA, "--duckdb", db, "--streams", "orders,store"]);
    expect(first.code, first.stderr).toBe(0);
    const [stored] = await query(db, "select cast(state as varchar) as s from bigcommerce._state");
    expect(JSON.parse(String(stored.s)).store).toMatchObject({ store_hash: "shopa1", name: expect.any(String) });
    const before = await query(db, "select id from bigcommerce.orders order by id");

    const other = await runCli(["load", "--config", configB, "--duckdb", db, "--streams", "orders,store"]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/schema 'bigcommerce' of .*shops\.duckdb holds store 'shopa1'.*this config reads store 'shopb2'.*--schema/);
    expect(await query(db, "select id from bigcommerce.orders order by id")).toEqual(before);
    expect(await query(db, "select count(*)::int as n from bigcommerce._loads")).toEqual([{ n: 1 }]);
    expect(await query(db, "select count(*)::int as n from bigcommerce.store")).toEqual([{ n: 1 }]);

    const apart = await runCli(["load", "--config", configB, "--duckdb", db, "--streams", "orders,store", "--schema", "shop_b"]);
    expect(apart.code, apart.stderr).toBe(0);
    expect(await query(db, "select count(*)::int as n from shop_b.store")).toEqual([{ n: 1 }]);
    const again = await runCli(["load", "--config", configA, "--duckdb", db, "--streams", "orders,store"]);
    expect(again.code, again.stderr).toBe(0);
  });

  it("Singer: a state of another store is exit 2, nothing on stdout", async () => {
    const discovered = await runCli(["--config", configA, "--discover"]);
    expect(discovered.code, discovered.stderr).toBe(0);
    const catalog = writeFile(dir, "catalog.json", discovered.stdout);
    const run = await runCli(["--config", configA, "--catalog", catalog]);
    expect(run.code, run.stderr).toBe(0);
    const state = lastState(parseSinger(run.stdout))!;
    expect(state.store).toMatchObject({ store_hash: "shopa1" });
    const other = await runCli(["--config", configB, "--catalog", catalog, "--state", writeFile(dir, "state-a.json", state)]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/the state holds store 'shopa1'.*this config reads store 'shopb2'/);
    expect(other.stdout).toBe("");
  });
});

describe("--duckdb on a file that is not a DuckDB database", () => {
  for (const [name, content] of [["notes.json", '{"notes": "keep me"}\n'], ["empty.duckdb", ""]] as const) {
    it(`${name}: exit 2, the file unchanged`, async () => {
      const path = writeFile(dir, name, content);
      const result = await runCli(["load", "--config", configA, "--duckdb", path, "--streams", "orders"]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`${path} exists but is not a DuckDB database`);
      expect(readFileSync(path, "utf8")).toBe(content);
    });
  }
});
