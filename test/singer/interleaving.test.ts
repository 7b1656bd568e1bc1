/**
 * Singer output while streams, cursor windows and per-order sub-resources are read at once:
 * each RECORD comes after its stream's SCHEMA, every record once, and every STATE covers only
 * records already written (a target that stores the STATE resumes without a loss).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../src/emulator/index.ts";
import { keyOf } from "../../src/engine/keys.ts";
import { parseSinger, runCli, type SingerMessage, tempDir, writeFile } from "../support/cli.ts";
import { type Catalog, emulatorSettings, selectStreams } from "../support/singer.ts";

/** Selected: orders (windowed, with their coupons fetched per order and line items inline), customers (windowed v3 list), products. */
const SELECTED = new Set(["orders", "order_products", "order_coupons", "customers", "products"]);
/** The cursor each bookmark is on, and how a row finds its cursor value (children: their order's). */
const CURSORS: Record<string, { field: string; parent?: { key: string } }> = {
  orders: { field: "date_modified" },
  customers: { field: "date_modified" },
  products: { field: "date_modified" },
  order_products: { field: "date_modified", parent: { key: "order_id" } },
  order_coupons: { field: "date_modified", parent: { key: "order_id" } },
};

let emulator: Emulator;
let messages: (SingerMessage & { index: number })[];

beforeAll(async () => {
  emulator = await startEmulator({ rateLimit: false, sizes: { orders: 400, customers: 300, products: 40 }, latencyMs: 2 });
  const dir = tempDir("interleaving-");
  // Pages of 5: 80 pages of orders and 60 of customers, each cut into cursor windows read at once.
  const config = writeFile(dir, "config.json", emulatorSettings(emulator, { page_size: 5 }));
  const discovered = await runCli(["--config", config, "--discover"]);
  expect(discovered.code, discovered.stderr).toBe(0);
  const catalog = writeFile(dir, "catalog.json", selectStreams(JSON.parse(discovered.stdout) as Catalog, (id) => SELECTED.has(id)));
  const synced = await runCli(["--config", config, "--catalog", catalog]);
  expect(synced.code, synced.stderr).toBe(0);
  messages = parseSinger(synced.stdout).map((m, index) => ({ ...m, index }));
}, 120_000);
afterAll(() => emulator?.close());

describe("Singer output of a concurrent read", () => {
  it("read orders and customers in windows, and every record once", () => {
    for (const path of ["/v2/orders", "/v3/customers"]) {
      const upper = path === "/v2/orders" ? "max_date_modified" : "date_modified:max";
      expect(new Set(emulator.log.filter((e) => e.path === path && e.query[upper] !== undefined).map((e) => e.query[upper])).size, path).toBeGreaterThanOrEqual(2);
    }
    const records = messages.filter((m) => m.type === "RECORD");
    const keys = new Map<string, string[]>();
    for (const m of messages) if (m.type === "SCHEMA") keys.set(m.stream!, m.key_properties!);
    for (const stream of SELECTED) {
      const rows = records.filter((m) => m.stream === stream).map((m) => keyOf(keys.get(stream)!)(m.record!));
      expect(rows.length, stream).toBeGreaterThan(0);
      expect(new Set(rows).size, `${stream}: a record written twice`).toBe(rows.length);
    }
    expect(records.filter((m) => m.stream === "orders").length).toBe(400);
    expect(records.filter((m) => m.stream === "customers").length).toBe(300);
  });

  it("writes each RECORD after its stream's SCHEMA", () => {
    const announced = new Set<string>();
    for (const m of messages) {
      if (m.type === "SCHEMA") announced.add(m.stream!);
      if (m.type === "RECORD") expect(announced.has(m.stream!), `RECORD of ${m.stream} at line ${m.index} before its SCHEMA`).toBe(true);
    }
  });

  it("writes a STATE only once every record it covers is written", () => {
    const keys = new Map<string, string[]>();
    for (const m of messages) if (m.type === "SCHEMA") keys.set(m.stream!, m.key_properties!);
    const records = messages.filter((m) => m.type === "RECORD");
    // A child's cursor value is its order's.
    const orderModified = new Map(records.filter((m) => m.stream === "orders").map((m) => [m.record!.id, m.record!.date_modified]));
    const cursorOf = (stream: string, record: Record<string, unknown>) => {
      const rule = CURSORS[stream];
      return rule.parent ? orderModified.get(record[rule.parent.key]) : record[rule.field];
    };
    // Per stream: each record's line, cursor instant and key (the key only where the bookmark's boundary keys are the stream's own).
    const rows = new Map<string, { index: number; at: number; key?: string }[]>();
    for (const r of records) {
      const own = CURSORS[r.stream!]?.parent ? undefined : keyOf(keys.get(r.stream!)!)(r.record!);
      rows.set(r.stream!, [...(rows.get(r.stream!) ?? []), { index: r.index, at: Date.parse(String(cursorOf(r.stream!, r.record!))), key: own }]);
    }
    let checked = 0;
    for (const state of messages.filter((m) => m.type === "STATE")) {
      const bookmarks = (state.value as { bookmarks: Record<string, { replication_key_value?: string; boundary_keys?: string[]; finished_windows?: [string, string][] }> }).bookmarks;
      for (const [stream, bookmark] of Object.entries(bookmarks)) {
        if (!CURSORS[stream] || bookmark.replication_key_value === undefined) continue;
        const mark = Date.parse(bookmark.replication_key_value);
        const boundary = new Set(bookmark.boundary_keys ?? []);
        // Windows finished beyond the bookmark are covered too: a resumed run skips them.
        const spans = (bookmark.finished_windows ?? []).map(([from, to]) => [Date.parse(from), Date.parse(to)]);
        for (const row of rows.get(stream) ?? []) {
          const covered = row.at < mark || (row.at === mark && row.key !== undefined && boundary.has(row.key)) ||
            spans.some(([from, to]) => from <= row.at && row.at < to);
          if (!covered) continue;
          checked++;
          expect(row.index, `${stream} record at ${new Date(row.at).toISOString()} comes after the STATE at line ${state.index}`).toBeLessThan(state.index);
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});
