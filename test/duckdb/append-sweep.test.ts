/**
 * The archived-orders check of an `orders=append` load, through the real CLI. An append-mode orders table keeps
 * a row per version of an order, so the check counts the ids it holds, not its rows: changed orders alone cost
 * the one orders/count request over the held ids, never an id sweep (at 100 000 orders with 2 000 changed, counting rows made
 * the sweep ask for about 1 000 more pages and counts); an order archived in place is still found and marked in
 * every version, and the versions of live orders are not.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.ts";
import { runCli, tempDir, writeFile } from "../support/cli.ts";
import { emulatorWithConfig, sweepRequests } from "../support/emulator.ts";
import { query } from "./fixtures.ts";

let emulator: Emulator;
let dir: string;
let config: string;
const ORDERS = 150;

beforeAll(async () => {
  let raw: Record<string, unknown>;
  ({ emulator, raw } = await emulatorWithConfig({ sizes: { orders: ORDERS } }, { page_size: 50 }));
  dir = tempDir("tap-bc-append-sweep-");
  config = writeFile(dir, "config.json", raw);
});
afterAll(() => emulator.close());

describe("archived orders in an append-mode orders table", () => {
  const db = () => join(dir, "append.duckdb");
  const load = () => runCli(["load", "--config", config, "--duckdb", db(), "--streams", "orders,order_products", "--write-mode", "orders=append"]);
  const versions = async (id: number) => (await query(db(), `select count(*)::int as n from bigcommerce.orders where id = ${id}`))[0]!.n;

  it("changed orders stored as new versions cost one count request and no id sweep", async () => {
    const first = await load();
    expect(first.code, first.stderr).toBe(0);
    const changed = [emulator.store.orders[10]!, emulator.store.orders[70]!, emulator.store.orders[130]!];
    for (const order of changed) emulator.store.touchOrder(order.id);
    emulator.log.clear();
    const second = await load();
    expect(second.code, second.stderr).toBe(0);
    for (const order of changed) expect(await versions(order.id)).toBe(2);
    // The held ids against the API's count over their range: one request, and they agree.
    expect(sweepRequests(emulator)).toEqual({ counts: 1, pages: 0 });
    expect(second.stderr).not.toMatch(/no longer listed/);
  });

  it("an order archived in place is found by the sweep and marked in every version; live orders' versions are not", async () => {
    const gone = emulator.store.orders[70]!.id;
    emulator.store.deleteOrder(gone, "unchanged");
    emulator.log.clear();
    const third = await load();
    expect(third.code, third.stderr).toBe(0);
    expect(third.stderr).toMatch(/archived orders: 150 live ids held, 149 counted by the API; 1 no longer listed/);
    const marked = await query(db(), "select id::int as id, count(*)::int as n from bigcommerce.orders where _deleted_at is not null group by id");
    expect(marked).toEqual([{ id: gone, n: 2 }]);
    const cost = sweepRequests(emulator);
    expect(cost.pages).toBeGreaterThanOrEqual(1);
    expect(cost.pages).toBeLessThanOrEqual(2);
  });
});
