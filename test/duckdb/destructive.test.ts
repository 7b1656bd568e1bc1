/**
 * Destructive modes need proof, through the real CLI: `--reconcile-deletes` refuses (exit 1,
 * nothing marked) when the store lists no key at all or more than `reconcile_max_fraction`
 * of a table would be marked deleted, unless `--force`; `replace` on an incremental stream
 * reads the whole stream, so the swapped-in table is never just the records changed lately.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.ts";
import { runCli, tempDir, writeFile } from "../support/cli.ts";
import { emulatorWithConfig } from "../support/emulator.ts";
import { query } from "./fixtures.ts";

let emulator: Emulator;
let dir: string;
let raw: Record<string, unknown>;
let config: string;

beforeAll(async () => {
  ({ emulator, raw } = await emulatorWithConfig({ sizes: { orders: 30, customers: 10 } }));
  dir = tempDir("tap-bc-destructive-");
  config = writeFile(dir, "config.json", raw);
});
afterAll(() => emulator?.close());

const marked = async (db: string) => (await query(db, "select count(*)::int as n from bigcommerce.customers where _deleted_at is not null"))[0].n;

describe("--reconcile-deletes", () => {
  it("refuses to mark more than reconcile_max_fraction of a table, or anything when the store lists nothing, unless --force", async () => {
    const db = join(dir, "reconcile.duckdb");
    const load = (extra: string[] = [], cfg = config) => runCli(["load", "--config", cfg, "--duckdb", db, "--streams", "customers", "--reconcile-deletes", ...extra]);
    expect((await load()).code).toBe(0);
    expect(await marked(db)).toBe(0);

    const ids = emulator.store.customers.map((c) => c.id);
    for (const id of ids.slice(0, 6)) emulator.store.deleteCustomer(id);
    const refused = await load();
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/reconcile customers: 6 of 10 rows \(60%\) would be marked deleted, more than reconcile_max_fraction 0\.5; nothing was marked.*--force/);
    expect(await marked(db)).toBe(0);
    const forced = await load(["--force"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(await marked(db)).toBe(6);

    // Every customer gone: refused even when any fraction is allowed.
    for (const id of ids.slice(6)) emulator.store.deleteCustomer(id);
    const anyFraction = writeFile(dir, "any-fraction.json", { ...raw, reconcile_max_fraction: 1 });
    const empty = await load([], anyFraction);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/the store listed no customers at all, so all 4 rows would be marked deleted/);
    expect(await marked(db)).toBe(6);
    expect((await load(["--force"], anyFraction)).code).toBe(0);
    expect(await marked(db)).toBe(10);
  });
});

describe("--write-mode STREAM=replace", () => {
  it("reads an incremental stream in full: the replaced table holds every order, not only the ones changed since the bookmark", async () => {
    const db = join(dir, "replace.duckdb");
    const all = emulator.store.orders.length;
    expect((await runCli(["load", "--config", config, "--duckdb", db, "--streams", "orders,order_products"])).code).toBe(0);
    emulator.store.touchOrder(emulator.store.orders[0].id);
    const replaced = await runCli(["load", "--config", config, "--duckdb", db, "--streams", "orders,order_products", "--write-mode", "order_products=replace"]);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(await query(db, "select count(*)::int as n from bigcommerce.orders")).toEqual([{ n: all }]);
    const [products] = await query(db, "select count(distinct order_id)::int as n from bigcommerce.order_products");
    expect(products.n).toBe(all);
  });
});
