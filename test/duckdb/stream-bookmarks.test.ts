/**
 * Bookmarks per stream, not per parent, through the real CLI against the emulator, in DuckDB
 * and in Singer mode: a child stream selected for the first time is read from start_date
 * although its parent has a bookmark (and the parent's rows are not emitted again), and a
 * state written by the first release (one bookmark per top-level stream, no `version`, as a
 * Meltano host stores it) resumes without re-reading anything.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.ts";
import { lastState, parseSinger, recordsByStream, runCli, tempDir, writeFile } from "../support/cli.ts";
import { emulatorWithConfig } from "../support/emulator.ts";
import { STATE_VERSION } from "../../src/engine/state.ts";
import { type Catalog, selectStreams } from "../support/singer.ts";
import { query } from "./fixtures.ts";

let emulator: Emulator;
let dir: string;
let config: string;
let discovered: Catalog;
/** Row counts of one load of everything these tests select. */
let expected: Record<string, number>;

const STREAMS = ["orders", "order_products", "transactions"];

beforeAll(async () => {
  let raw: Record<string, unknown>;
  ({ emulator, raw } = await emulatorWithConfig({ sizes: { orders: 60, customers: 10, products: 8 } }, { page_size: 20, max_retries: 0 }));
  dir = tempDir("tap-bc-stream-bookmarks-");
  config = writeFile(dir, "config.json", raw);
  const discovery = await runCli(["--config", config, "--discover"]);
  expect(discovery.code, discovery.stderr).toBe(0);
  discovered = JSON.parse(discovery.stdout) as Catalog;
  const reference = join(dir, "reference.duckdb");
  expect((await load(reference, STREAMS)).code).toBe(0);
  expected = await counts(reference);
  for (const stream of STREAMS) expect(expected[stream], stream).toBeGreaterThan(0);
});
afterAll(() => emulator?.close());

function load(db: string, streams: string[]) {
  return runCli(["load", "--config", config, "--duckdb", db, "--streams", streams.join(",")]);
}

async function counts(db: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const stream of STREAMS) {
    const [row] = await query(db, `select count(*)::int as n from information_schema.tables where table_schema = 'bigcommerce' and table_name = '${stream}'`);
    out[stream] = row.n ? Number((await query(db, `select count(*)::int as n from bigcommerce."${stream}"`))[0].n) : 0;
  }
  return out;
}

/** Rows the last load wrote per table (inserted or updated). */
async function lastLoadRows(db: string): Promise<Record<string, number>> {
  const [row] = await query(db, "select cast(tables as varchar) as t from bigcommerce._loads order by started_at desc limit 1");
  const tables = JSON.parse(String(row.t)) as Record<string, { inserted: number; updated: number }>;
  return Object.fromEntries(Object.entries(tables).map(([name, t]) => [name, t.inserted + t.updated]));
}

async function singer(streams: string[], state?: unknown) {
  const catalog = selectStreams(discovered, (id) => streams.includes(id));
  const args = ["--config", config, "--catalog", writeFile(dir, `catalog-${Math.random()}.json`, catalog)];
  if (state !== undefined) args.push("--state", writeFile(dir, `state-${Math.random()}.json`, state));
  const result = await runCli(args);
  expect(result.code, result.stderr).toBe(0);
  const messages = parseSinger(result.stdout);
  const records = Object.fromEntries([...recordsByStream(messages)].map(([stream, rows]) => [stream, rows.length]));
  return { messages, records, state: lastState(messages) as { version?: number; bookmarks: Record<string, unknown> } };
}

describe("a stream selected for the first time", () => {
  it("DuckDB: `load --streams orders`, then with order_products, then with transactions: each child is read in full, orders are not written again", async () => {
    const db = join(dir, "growing.duckdb");
    expect((await load(db, ["orders"])).code).toBe(0);
    expect(await counts(db)).toEqual({ orders: expected.orders, order_products: 0, transactions: 0 });
    const second = await load(db, ["orders", "order_products"]);
    expect(second.code, second.stderr).toBe(0);
    expect(await counts(db)).toEqual({ ...expected, transactions: 0 });
    expect(await lastLoadRows(db)).toMatchObject({ orders: 0, order_products: expected.order_products });
    const third = await load(db, STREAMS);
    expect(third.code, third.stderr).toBe(0);
    expect(await counts(db)).toEqual(expected);
    expect(await lastLoadRows(db)).toMatchObject({ orders: 0, order_products: 0, transactions: expected.transactions });
  });

  it("Singer: a state from an orders-only run; order_products added is read in full, orders are not emitted again", async () => {
    const first = await singer(["orders"]);
    expect(first.state.version).toBe(STATE_VERSION);
    expect(Object.keys(first.state.bookmarks)).toEqual(["orders"]);
    const second = await singer(["orders", "order_products"], first.state);
    expect(second.records).toEqual({ order_products: expected.order_products });
    expect(Object.keys(second.state.bookmarks).sort()).toEqual(["order_products", "orders"]);
  });

  it("Singer: a state from a child-only catalog; the parent added is read in full", async () => {
    const first = await singer(["order_products"]);
    expect(first.records).toEqual({ order_products: expected.order_products });
    expect(Object.keys(first.state.bookmarks)).toEqual(["order_products"]);
    const second = await singer(["orders", "order_products"], first.state);
    expect(second.records.orders).toBe(expected.orders);
    // A parent's rows carry their children: the line items come again with the orders they belong to.
    expect(second.records.order_products).toBe(expected.order_products);
    const third = await singer(["orders", "order_products"], second.state);
    expect(third.records).toEqual({});
  });
});

/** A state as the first release wrote it: one bookmark per top-level stream, no version. */
function firstReleaseState(state: { bookmarks: Record<string, unknown> }, topLevel: string[]) {
  return { bookmarks: Object.fromEntries(topLevel.map((s) => [s, state.bookmarks[s]])), currently_syncing: null };
}

describe("a state written by the first release", () => {
  it("Singer, wrapped as a Meltano host stores it: the resumed run re-reads nothing", async () => {
    const current = await singer(["orders", "order_products"]);
    const old = { value: firstReleaseState(current.state, ["orders"]) };
    expect(old.value.bookmarks.orders).toMatchObject({ replication_key: "date_modified", boundary_keys: expect.any(Array) });
    emulator.log.clear();
    const resumed = await singer(["orders", "order_products"], old);
    expect(resumed.records).toEqual({});
    expect(emulator.log.filter({ endpoint: "GET /v2/orders" }).filter((e) => e.query.is_deleted !== "true").length).toBe(1); // the live list (archived orders are one more request)
    expect(resumed.state.version).toBe(STATE_VERSION);
    expect(resumed.state.bookmarks.order_products).toEqual(resumed.state.bookmarks.orders);
  });

  it("DuckDB: the resumed load writes nothing; a child stream whose table the file lacks is read in full", async () => {
    const db = join(dir, "upgraded.duckdb");
    expect((await load(db, ["orders", "order_products"])).code).toBe(0);
    const [stored] = await query(db, "select cast(state as varchar) as s from bigcommerce._state");
    const old = firstReleaseState(JSON.parse(String(stored.s)), ["orders"]);
    await query(db, `update bigcommerce._state set state = '${JSON.stringify(old)}'`);
    emulator.log.clear();
    const resumed = await load(db, ["orders", "order_products", "transactions"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(await counts(db)).toEqual(expected);
    // Orders and their line items were loaded before: nothing again; transactions had no table: read in full.
    expect(await lastLoadRows(db)).toMatchObject({ orders: 0, order_products: 0, transactions: expected.transactions });
    const [after] = await query(db, "select cast(state as varchar) as s from bigcommerce._state");
    const state = JSON.parse(String(after.s));
    expect(state.version).toBe(STATE_VERSION);
    expect(Object.keys(state.bookmarks).sort()).toEqual(["order_products", "orders", "transactions"]);
  });
});

describe("a state from a newer release", () => {
  it("is bad input (exit 2), nothing read", async () => {
    emulator.log.clear();
    const path = writeFile(dir, "future-state.json", { version: 99, bookmarks: {} });
    const catalog = writeFile(dir, "future-catalog.json", selectStreams(discovered, (id) => id === "orders"));
    const result = await runCli(["--config", config, "--catalog", catalog, "--state", path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/version 99.*newer tap-bigcommerce/);
    expect(emulator.log.count({ endpoint: "GET /v2/orders" })).toBe(0);
  });
});
