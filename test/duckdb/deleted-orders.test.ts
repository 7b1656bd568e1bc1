/**
 * Deleted (archived) orders through the real CLI: the next incremental run reads the orders archived since
 * the bookmark (`is_deleted=true`) and emits them flagged, in DuckDB and in Singer; a list that rejects the
 * parameter is a warning, not a failure.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.ts";
import { parseSinger, recordsByStream, runCli, tempDir, writeFile } from "../support/cli.ts";
import { emulatorWithConfig } from "../support/emulator.ts";
import { query } from "./fixtures.ts";

let emulator: Emulator;
let dir: string;
let config: string;

beforeAll(async () => {
  let raw: Record<string, unknown>;
  ({ emulator, raw } = await emulatorWithConfig({ sizes: { orders: 120 } }, { page_size: 50 }));
  dir = tempDir("tap-bc-deleted-");
  config = writeFile(dir, "config.json", raw);
});
afterAll(() => emulator.close());

describe("archived orders", () => {
  it("are marked is_deleted in DuckDB on the next incremental load, with one extra request", async () => {
    const db = join(dir, "orders.duckdb");
    const load = () => runCli(["load", "--config", config, "--duckdb", db, "--streams", "orders,order_products"]);
    expect((await load()).code).toBe(0);
    const archived = [105, 150];
    for (const id of archived) emulator.store.deleteOrder(id);
    emulator.log.clear();
    const second = await load();
    expect(second.code, second.stderr).toBe(0);
    const asked = emulator.log.filter({ endpoint: "GET /v2/orders" }).filter((e) => e.query.is_deleted === "true");
    expect(asked.length).toBe(1);
    const rows = await query(db, "select id::int as id from bigcommerce.orders where is_deleted order by id");
    expect(rows.map((r) => r.id)).toEqual(archived);
    expect((await query(db, "select count(*)::int as n from bigcommerce.orders"))[0]!.n).toBe(120);
  });

  it("are emitted as Singer RECORDs with is_deleted: true", async () => {
    const first = await runCli(["--config", config]);
    expect(first.code, first.stderr).toBe(0);
    const state = writeFile(dir, "state.json", parseSinger(first.stdout).filter((m) => m.type === "STATE").at(-1)!.value);
    emulator.store.deleteOrder(160);
    const second = await runCli(["--config", config, "--state", state]);
    expect(second.code, second.stderr).toBe(0);
    const orders = recordsByStream(parseSinger(second.stdout)).get("orders") ?? [];
    // Every order archived since the first run's bookmark (the earlier tests archived some too), 160 among them.
    const flagged = orders.filter((r) => r.is_deleted === true).map((r) => r.id as number);
    expect(flagged).toContain(160);
    for (const id of flagged) expect(emulator.store.order(id)!.deleted, String(id)).toBe(true);
  });

  it("a list that rejects is_deleted=true is a warning, and the load still succeeds", async () => {
    const db = join(dir, "rejected.duckdb");
    const load = () => runCli(["load", "--config", config, "--duckdb", db, "--streams", "orders"]);
    expect((await load()).code).toBe(0);
    emulator.setFaults([{ kind: "status", status: 400, match: "is_deleted=true", times: 5 }]);
    try {
      emulator.store.deleteOrder(170);
      const second = await load();
      expect(second.code, second.stderr).toBe(0);
      expect(second.stderr).toMatch(/warning: orders: the list rejected is_deleted=true/);
    } finally {
      emulator.setFaults([]);
    }
  });
});
