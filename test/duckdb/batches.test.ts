/**
 * The DuckDB write paths against the emulator: a first load only inserts (no stored row is
 * replaced, no child row removed), a record met twice in one load ends as one row whether its
 * two pages fall in one batch or in two, an incremental batch of several pages merges a changed
 * order (its removed line item disappears), a record met in two cursor windows of one first load
 * ends as one row, an append-mode load writes straight to the tables and keeps each version once,
 * and a load killed between batches of several pages
 * keeps the rows of whole batches with the state after them, so the rerun ends exactly-once.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../../src/config/load.ts";
import { loadEvents, readState } from "../../src/destinations/duckdb/index.ts";
import type { LoadOptions, LoadSummary } from "../../src/destinations/duckdb/index.ts";
import type { Emulator } from "../../src/emulator/index.ts";
import { clientFor, sync } from "../../src/engine/sync.ts";
import type { SyncEvent } from "../../src/engine/types.ts";
import { killedLoad, runCli, tempDir as cliTempDir, writeFile } from "../support/cli.ts";
import { emulatorWithConfig, FAST_RETRIES } from "../support/emulator.ts";
import { query, tempDir } from "./fixtures.ts";

const STREAMS = ["orders", "order_products", "order_shipping_addresses", "order_coupons"];

async function count(path: string, sql: string): Promise<number> {
  return Number((await query(path, sql))[0].n);
}

describe("write paths and batches (engine → DuckDB)", () => {
  let emulator: Emulator;
  let config: Config;
  const tmp = tempDir();

  beforeAll(async () => {
    // Pages of 20 orders: every batch below spans several pages.
    ({ emulator, config } = await emulatorWithConfig({ sizes: { orders: 240, customers: 30, products: 20 } }, { page_size: 20 }));
  });
  afterAll(async () => {
    await emulator.close();
    tmp.cleanup();
  });

  /** Loads the streams; `during` sees each event before the destination does, `onBatch` each commit. */
  async function load(
    path: string,
    batchRows: number,
    during?: (event: SyncEvent) => void,
    onBatch?: LoadOptions["onBatch"],
    writeModes?: LoadOptions["writeModes"],
  ): Promise<LoadSummary> {
    const client = clientFor(config, FAST_RETRIES);
    const events = sync({ config, selection: { streams: STREAMS }, state: await readState(path), client });
    async function* watched(): AsyncGenerator<SyncEvent> {
      for await (const event of events) {
        during?.(event);
        yield event;
      }
    }
    return await loadEvents(watched(), { path, batchRows, onBatch, writeModes });
  }

  it("a first load only inserts, appended straight to the tables: no stored row replaced, no child row removed, one transaction per batch of pages", async () => {
    const path = tmp.file("first.duckdb");
    const committed: number[] = [];
    const paths: boolean[] = [];
    let pages = 0;
    const summary = await load(path, 100, (event) => {
      if (event.type === "batch" && event.rows.get("orders")?.length) pages++;
    }, ({ rows, direct }) => {
      committed.push(rows);
      paths.push(direct);
    });
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.every(Boolean), "every batch appended without a stage").toBe(true);
    for (const table of Object.values(summary.tables)) expect(table).toMatchObject({ updated: 0, removed: 0, skipped: 0 });
    expect(summary.tables.orders.inserted).toBe(240);
    // 12 or more pages of up to 20 orders, in batches of 100 orders.
    expect(pages).toBeGreaterThanOrEqual(12);
    expect(committed.filter((rows) => rows > 0).length).toBeLessThanOrEqual(Math.ceil(pages / 3));
    expect(await count(path, "SELECT count(*)::INTEGER AS n FROM bigcommerce.orders")).toBe(240);
  });

  for (const [name, batchRows] of [["in one batch", 10_000], ["in two batches", 20]] as const) {
    it(`a record met on two pages of one load ends as one row, its last version (${name})`, async () => {
      const path = tmp.file(`twice-${batchRows}.duckdb`);
      let moved: number | undefined;
      const committed: { rows: number; direct: boolean }[] = [];
      const summary = await load(path, batchRows, (event) => {
        if (moved !== undefined || event.type !== "batch") return;
        const first = event.rows.get("orders")?.[0];
        if (!first) return;
        // Changed after its page was read: the seek on date_modified meets it again on the last page.
        moved = Number(first.id);
        emulator.store.updateOrder(moved, { staff_notes: "changed mid-load" });
      }, ({ rows, direct }) => committed.push({ rows, direct }));
      expect(moved).toBeDefined();
      // A batch appended to the tables holds each key once: the page that meets the record again starts the next batch.
      expect(committed.every((batch) => batch.direct)).toBe(true);
      expect(committed.filter((batch) => batch.rows > 0).length).toBeGreaterThanOrEqual(2);
      expect(summary.streams.orders.records).toBe(241);
      expect(await count(path, "SELECT count(*)::INTEGER AS n FROM bigcommerce.orders")).toBe(240);
      expect(await count(path, "SELECT count(DISTINCT id)::INTEGER AS n FROM bigcommerce.orders")).toBe(240);
      expect(await query(path, `SELECT staff_notes FROM bigcommerce.orders WHERE id = ${moved}`)).toEqual([{ staff_notes: "changed mid-load" }]);
      const lines = emulator.store.order(moved!)!.lines.length;
      expect(await count(path, `SELECT count(*)::INTEGER AS n FROM bigcommerce.order_products WHERE order_id = ${moved}`)).toBe(lines);
      expect(await count(path, "SELECT count(*)::INTEGER AS n FROM (SELECT id, order_id FROM bigcommerce.order_products GROUP BY ALL HAVING count(*) > 1)")).toBe(0);
    });
  }

  it("an append-mode load appends straight to the tables too: a version met again is stored once, a new version of a record beside the old", async () => {
    const path = tmp.file("append.duckdb");
    const appendOrders = { orders: "append" as const };
    let moved: number | undefined;
    const committed: { rows: number; direct: boolean }[] = [];
    const first = await load(path, 20, (event) => {
      if (moved !== undefined || event.type !== "batch") return;
      const row = event.rows.get("orders")?.[0];
      if (!row) return;
      // A new version (date_modified moves) after its page was read: met again on the last page, in another batch.
      moved = Number(row.id);
      emulator.store.updateOrder(moved, { staff_notes: "changed mid-load" });
    }, ({ rows, direct }) => committed.push({ rows, direct }), appendOrders);
    expect(moved).toBeDefined();
    expect(committed.filter((batch) => batch.rows > 0).length).toBeGreaterThanOrEqual(2);
    expect(committed.every((batch) => batch.direct), "every batch appended without a stage").toBe(true);
    const live = emulator.store.orders.filter((o) => !o.deleted).length;
    expect(await count(path, "SELECT count(*)::INTEGER AS n FROM bigcommerce.orders")).toBe(live + 1);
    expect(await query(path, `SELECT staff_notes FROM bigcommerce.orders WHERE id = ${moved} ORDER BY date_modified`)).toEqual([
      { staff_notes: expect.not.stringMatching(/changed mid-load/) },
      { staff_notes: "changed mid-load" },
    ]);
    // Its line items did not change: the second reading's rows (whole-row identity) were the stored ones again.
    const lines = emulator.store.order(moved!)!.lines.length;
    expect(first.tables.order_products.skipped).toBe(lines);
    expect(await count(path, `SELECT count(*)::INTEGER AS n FROM bigcommerce.order_products WHERE order_id = ${moved}`)).toBe(lines);
    // Nothing changed since: the record at the bookmark is read again and skipped, nothing is added.
    const again = await load(path, 20, undefined, undefined, appendOrders);
    expect(again.tables.orders?.inserted ?? 0).toBe(0);
    expect(await count(path, "SELECT count(*)::INTEGER AS n FROM bigcommerce.orders")).toBe(live + 1);
  });

  it("an incremental batch of several pages merges: a changed order's removed line item disappears, the others stay", async () => {
    const path = tmp.file("merge.duckdb");
    await load(path, 10_000);
    const stored = await count(path, "SELECT count(*)::INTEGER AS n FROM bigcommerce.order_products");
    const target = emulator.store.orders.find((o) => o.lines.length >= 2 && o.lines.length <= 50 && !o.deleted)!;
    const removed = target.lines.pop()!;
    emulator.store.touchOrder(target.id);
    // 59 more changed orders: the incremental read is 3 or more pages of 20.
    const others = emulator.store.orders.filter((o) => o.id !== target.id && !o.deleted).slice(0, 59);
    for (const o of others) emulator.store.touchOrder(o.id);
    const committed: number[] = [];
    let pages = 0;
    let staged = 0;
    const summary = await load(path, 10_000, (event) => {
      if (event.type === "batch" && event.rows.get("orders")?.length) pages++;
    }, ({ rows, direct }) => {
      committed.push(rows);
      if (!direct) staged++;
    });
    expect(staged, "the merge appends the batch and deletes the replaced rows, with no stage").toBe(0);
    expect(summary.tables.orders.rows).toBeGreaterThanOrEqual(60);
    expect(summary.tables.orders).toMatchObject({ updated: summary.tables.orders.rows, inserted: 0 });
    expect(summary.tables.order_products.removed).toBe(1);
    // Fewer transactions than pages (a schema change, e.g. a form field met on a later page, also ends a batch).
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(committed.filter((rows) => rows > 0).length).toBeLessThan(pages);
    expect(await query(path, `SELECT id FROM bigcommerce.order_products WHERE order_id = ${target.id} AND id = ${removed.id}`)).toEqual([]);
    expect(await count(path, `SELECT count(*)::INTEGER AS n FROM bigcommerce.order_products WHERE order_id = ${target.id}`)).toBe(target.lines.length);
    expect(await count(path, "SELECT count(*)::INTEGER AS n FROM bigcommerce.order_products")).toBe(stored - 1);
  });
});

describe("a first load read in cursor windows (engine → DuckDB)", () => {
  let emulator: Emulator;
  let config: Config;
  const tmp = tempDir();
  beforeAll(async () => {
    // 250 orders in pages of 5: 50 full pages, so the first load is cut into windows read at once.
    ({ emulator, config } = await emulatorWithConfig({ sizes: { orders: 250, customers: 20, products: 15 } }, { page_size: 5 }));
  });
  afterAll(async () => {
    await emulator.close();
    tmp.cleanup();
  });

  it("a record met in two windows of one load (changed after the oldest window read it) ends as one row, its last version", async () => {
    const path = tmp.file("windows.duckdb");
    const oldest = emulator.store.orders.filter((o) => !o.deleted).sort((a, b) => a.modified - b.modified || a.id - b.id)[0]!;
    let moved = false;
    const client = clientFor(config, FAST_RETRIES);
    const events = sync({ config, selection: { streams: ["orders", "order_products"] }, state: { bookmarks: {} }, client });
    async function* watched(): AsyncGenerator<SyncEvent> {
      for await (const event of events) {
        // Read by the oldest window; changed now, so the open-ended newest window meets it again.
        if (!moved && event.type === "batch" && event.rows.get("orders")?.some((row) => Number(row.id) === oldest.id)) {
          emulator.store.updateOrder(oldest.id, { staff_notes: "changed between windows" });
          moved = true;
        }
        yield event;
      }
    }
    const summary = await loadEvents(watched(), { path, batchRows: 50 });
    expect(moved).toBe(true);
    const windowed = emulator.log.filter((e) => e.endpoint === "GET /v2/orders" && e.query.max_date_modified !== undefined);
    expect(windowed.length, "orders read in bounded windows").toBeGreaterThan(0);
    expect(summary.streams.orders.records).toBe(251);
    expect(summary.tables.orders).toMatchObject({ inserted: 250, removed: 0 });
    expect(await count(path, "SELECT count(*)::INTEGER AS n FROM bigcommerce.orders")).toBe(250);
    expect(await count(path, "SELECT count(DISTINCT id)::INTEGER AS n FROM bigcommerce.orders")).toBe(250);
    expect(await query(path, `SELECT staff_notes FROM bigcommerce.orders WHERE id = ${oldest.id}`)).toEqual([{ staff_notes: "changed between windows" }]);
    expect(await count(path, `SELECT count(*)::INTEGER AS n FROM bigcommerce.order_products WHERE order_id = ${oldest.id}`)).toBe(emulator.store.order(oldest.id)!.lines.length);
    expect(await count(path, "SELECT count(*)::INTEGER AS n FROM (SELECT id, order_id FROM bigcommerce.order_products GROUP BY ALL HAVING count(*) > 1)")).toBe(0);
  });
});

describe("a load killed between batches of several pages (CLI, SIGKILL)", () => {
  let emulator: Emulator;
  let dir: string;
  let configPath: string;
  beforeAll(async () => {
    let raw: Record<string, unknown>;
    // 400 orders in pages of 25, batches of up to 100 orders (4 pages); a little latency so the kill lands mid-load.
    ({ emulator, raw } = await emulatorWithConfig({ sizes: { orders: 400, customers: 40, products: 30 }, latencyMs: 3 }, { page_size: 25, batch_rows: 100 }));
    dir = cliTempDir("tap-bc-batches-");
    configPath = writeFile(dir, "config.json", raw);
  });
  afterAll(() => emulator.close());

  it("keeps the rows of whole batches with the state after them, and the rerun stores every order exactly once", async () => {
    const args = (db: string) => ["load", "--config", configPath, "--duckdb", db, "--streams", STREAMS.join(",")];
    const reference = join(dir, "reference.duckdb");
    const before = emulator.log.count();
    expect((await runCli(args(reference))).code).toBe(0);
    const requests = emulator.log.count() - before;
    const db = join(dir, "killed.duckdb");
    // Kill three quarters in: past the first batches of four pages (the first batch ends early,
    // at the schema change a store-specific field brings on page one), before the last.
    expect(await killedLoad(args(db), emulator, Math.ceil(requests * 0.75))).toBe("SIGKILL");
    const kept = await count(db, "SELECT count(*)::INTEGER AS n FROM bigcommerce.orders");
    expect(kept).toBeGreaterThan(25);
    expect(kept).toBeLessThan(400);
    // The stored bookmark is the last committed order's date_modified: state and rows committed together.
    const state = await readState(db);
    const [last] = await query(db, "SELECT strftime(max(date_modified), '%Y-%m-%dT%H:%M:%S') AS at FROM bigcommerce.orders");
    expect(String(state.bookmarks.orders?.replication_key_value)).toContain(String(last.at));
    const rerun = await runCli(args(db));
    expect(rerun.code, rerun.stderr).toBe(0);
    for (const table of STREAMS) {
      const sql = `SELECT count(*)::INTEGER AS n FROM bigcommerce.${table}`;
      expect(await count(db, sql), table).toBe(await count(reference, sql));
    }
    expect(await count(db, "SELECT count(DISTINCT id)::INTEGER AS n FROM bigcommerce.orders")).toBe(400);
  }, 180_000);

  it("a reader started during a load waits for it, saying which process writes, then answers", async () => {
    const db = join(dir, "read-while-loading.duckdb");
    const before = emulator.log.count();
    const loading = runCli(["load", "--config", configPath, "--duckdb", db, "--streams", STREAMS.join(",")]);
    // Twenty requests in, the load has the file open.
    while (emulator.log.count() - before < 20) await new Promise((resolve) => setTimeout(resolve, 10));
    const reader = await runCli(["sql", "--duckdb", db, "select count(*) as n from bigcommerce.orders", "--format", "csv"]);
    const loaded = await loading;
    expect(loaded.code, loaded.stderr).toBe(0);
    expect(reader.code, reader.stderr).toBe(0);
    expect(reader.stderr).toMatch(/a load \(PID \d+\) is writing .*read-while-loading\.duckdb; waiting…/);
    expect(reader.stdout).toContain("400");
  }, 180_000);
});
