/**
 * Bookmarks that cannot pass unread rows, through the real CLI against the emulator, in
 * DuckDB and in Singer mode: a list asked sorted by its cursor whose pages come in another
 * order (BigCommerce's v3 customers cursor is keyed on id) is bookmarked only at its end,
 * so a run stopped after a page (an exit 1 on a 5xx) and run again ends with every record;
 * filters documented as "after this date" start a second early without emitting anything twice.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator, FaultRule } from "../../src/emulator/index.ts";
import { lastState, parseSinger, recordsByStream, runCli, tempDir, writeFile } from "../support/cli.ts";
import { emulatorWithConfig } from "../support/emulator.ts";
import { type Catalog, selectStreams } from "../support/singer.ts";
import { query } from "./fixtures.ts";

/** The store ignores `sort` on customers: pages come in id order, date_modified in no order. */
const UNSORTED: FaultRule = { kind: "ignore-param", param: "sort", match: "/v3/customers?", times: 1e9 };
/** The third customers request fails (no retries): the run stops after two pages. */
const FAIL_THIRD_PAGE: FaultRule = { kind: "status", status: 500, match: "/v3/customers?", skip: 2, times: 1 };

let emulator: Emulator;
let dir: string;
let config: string;
let customersOnly: Catalog;
let allIds: number[];

beforeAll(async () => {
  let raw: Record<string, unknown>;
  ({ emulator, raw } = await emulatorWithConfig({ sizes: { customers: 60, orders: 20 } }, { page_size: 10, max_retries: 0 }));
  dir = tempDir("tap-bc-bookmarks-");
  config = writeFile(dir, "config.json", raw);
  const discovered = await runCli(["--config", config, "--discover"]);
  expect(discovered.code, discovered.stderr).toBe(0);
  customersOnly = selectStreams(JSON.parse(discovered.stdout) as Catalog, (id) => id === "customers");
  allIds = emulator.store.customers.map((c) => c.id).sort((a, b) => a - b);
  // The pages really are out of date_modified order when the sort is ignored.
  const byId = [...emulator.store.customers].sort((a, b) => a.id - b.id).map((c) => c.modified);
  expect(byId.some((m, i) => i > 0 && m < byId[i - 1])).toBe(true);
});
afterAll(() => emulator?.close());

async function singer(args: string[] = [], state?: unknown) {
  const full = ["--config", config, "--catalog", writeFile(dir, `catalog-${Math.random()}.json`, customersOnly), ...args];
  if (state !== undefined) full.push("--state", writeFile(dir, `state-${Math.random()}.json`, state));
  const result = await runCli(full);
  return { ...result, messages: parseSinger(result.stdout) };
}

const ids = (records: Record<string, unknown>[] | undefined) => (records ?? []).map((r) => Number(r.id));

describe("pages out of cursor order, a run stopped after a page, then a rerun", () => {
  it("DuckDB: the rerun ends with every customer", async () => {
    const db = join(dir, "unsorted.duckdb");
    emulator.setFaults([FAIL_THIRD_PAGE, UNSORTED]);
    const broken = await runCli(["load", "--config", config, "--duckdb", db, "--streams", "customers"]);
    expect(broken.code, broken.stderr).toBe(1);
    expect(broken.stderr).toMatch(/customers: the API returned date_modified values out of order/);
    const [partial] = await query(db, "select count(*)::int as n from bigcommerce.customers");
    expect(partial.n).toBeGreaterThan(0);
    expect(partial.n).toBeLessThan(allIds.length);
    emulator.setFaults([UNSORTED]);
    const rerun = await runCli(["load", "--config", config, "--duckdb", db, "--streams", "customers"]);
    expect(rerun.code, rerun.stderr).toBe(0);
    const rows = await query(db, "select id from bigcommerce.customers order by id");
    expect(rows.map((r) => Number(r.id))).toEqual(allIds);
  });

  it("Singer: resuming from the last STATE emits every customer", async () => {
    emulator.setFaults([FAIL_THIRD_PAGE, UNSORTED]);
    const broken = await singer();
    expect(broken.code, broken.stderr).toBe(1);
    const before = ids(recordsByStream(broken.messages).get("customers"));
    expect(before.length).toBeGreaterThan(0);
    expect(before.length).toBeLessThan(allIds.length);
    emulator.setFaults([UNSORTED]);
    const resumed = await singer([], lastState(broken.messages) ?? {});
    expect(resumed.code, resumed.stderr).toBe(0);
    const after = ids(recordsByStream(resumed.messages).get("customers"));
    expect([...new Set([...before, ...after])].sort((a, b) => a - b)).toEqual(allIds);
  });

  it("Singer: no STATE message bookmarks past a customer not yet emitted", async () => {
    emulator.setFaults([UNSORTED]);
    const run = await singer();
    expect(run.code, run.stderr).toBe(0);
    const emitted: Record<string, unknown>[] = [];
    for (const message of run.messages) {
      if (message.type === "RECORD" && message.stream === "customers") emitted.push(message.record!);
      const value = (message.value as { bookmarks?: Record<string, { replication_key_value?: string }> } | undefined)?.bookmarks?.customers?.replication_key_value;
      if (message.type !== "STATE" || value === undefined) continue;
      const unread = emulator.store.customers.filter((c) => !emitted.some((r) => r.id === c.id));
      for (const c of unread) expect(c.modified * 1000, `customer ${c.id}`).toBeGreaterThanOrEqual(Date.parse(value));
    }
  });
});

describe("a list read by seeking on its sorted cursor, from a store that ignores the sort", () => {
  it("is read again by page number: every order, the bookmark at the end", async () => {
    emulator.setFaults([{ kind: "ignore-param", param: "sort", match: "/v2/orders?", times: 1e9 }]);
    try {
      const catalog = writeFile(dir, "orders-catalog.json", selectStreams(customersOnly, (id) => id === "orders"));
      const result = await runCli(["--config", config, "--catalog", catalog]);
      expect(result.code, result.stderr).toBe(0);
      const messages = parseSinger(result.stdout);
      const got = new Set(ids(recordsByStream(messages).get("orders")));
      expect([...got].sort((a, b) => a - b)).toEqual(emulator.store.orders.map((o) => o.id).sort((a, b) => a - b));
      expect(result.stderr).toMatch(/orders: the API returned date_modified values out of order/);
    } finally {
      emulator.setFaults([]);
    }
  });
});

describe("a filter documented as \"after this date\"", () => {
  it("starts one second before the bookmark, and the overlap is not emitted again", async () => {
    emulator.setFaults([]);
    // A customer one second before the newest one sits in the overlap.
    const newest = Math.max(...emulator.store.customers.map((c) => c.modified));
    const [a, b] = emulator.store.customers.filter((c) => c.modified !== newest);
    emulator.store.touchCustomer(a.id, new Date((newest - 1) * 1000));
    emulator.store.touchCustomer(b.id, new Date(newest * 1000));
    const first = await singer();
    expect(first.code, first.stderr).toBe(0);
    const state = lastState(first.messages) as { bookmarks: Record<string, { replication_key_value: string }> };
    expect(Date.parse(state.bookmarks.customers.replication_key_value)).toBe(newest * 1000);
    emulator.log.clear();
    const second = await singer([], state);
    expect(second.code, second.stderr).toBe(0);
    const [request] = emulator.log.filter({ path: "/v3/customers" });
    expect(request.query["date_modified:min"]).toBe(new Date((newest - 1) * 1000).toISOString().replace(".000Z", "Z"));
    expect(recordsByStream(second.messages).get("customers") ?? []).toEqual([]);
  });
});
