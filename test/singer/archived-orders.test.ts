/**
 * Archived (deleted) orders in Singer output, through the real command line: a first sync with a catalog, orders
 * archived in the emulator, then a second sync with the saved state. The second run's RECORDs of each archived
 * order, and of every child row that comes with it (line items, coupons, …), carry `_sdc_deleted_at` (the
 * property Singer targets keep in their `_sdc_deleted_at` column, and pipelinewise targets delete by under
 * `hard_delete`);
 * live records never carry a non-null one, and the SCHEMA of every table that can hold archived rows declares it.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../src/emulator/index.ts";
import { lastState, parseSinger, runCli, type SingerMessage, tempDir, writeFile } from "../support/cli.ts";
import { type Catalog, emulatorSettings, rootMetadata, selectStreams, singerAjv, SMALL_STORE } from "../support/singer.ts";

const DELETED_AT = "_sdc_deleted_at";

let emulator: Emulator;
let dir: string;
let config: string;
let catalog: string;
/** Tables whose parent chain (catalog `parent-tap-stream-id`) reaches `orders`, `orders` included. */
let underOrders: Set<string>;
/** The catalog `--discover` wrote. */
let full: Catalog;
let first: SingerMessage[];
let second: SingerMessage[];
/** Archived between the runs: one with coupons, one without. */
let archived: number[];
/** Changed (still live) between the runs. */
let touched: number;

/** A Singer sync with the catalog (and a state file); fails the test on a non-zero exit. */
async function singerRun(...extra: string[]): Promise<SingerMessage[]> {
  const result = await runCli(["--config", config, "--catalog", catalog, ...extra]);
  expect(result.code, result.stderr).toBe(0);
  return parseSinger(result.stdout);
}

/** The order a row of a table under orders belongs to (its own id, or its parent key). */
function orderOf(stream: string, record: Record<string, unknown>): unknown {
  return stream === "orders" ? record.id : record.order_id ?? record._parent_order_id;
}

const records = (messages: SingerMessage[]) => messages.filter((m) => m.type === "RECORD");
const schemaOf = (messages: SingerMessage[], stream: string) => messages.find((m) => m.type === "SCHEMA" && m.stream === stream)?.schema;

beforeAll(async () => {
  emulator = await startEmulator({ rateLimit: false, sizes: SMALL_STORE });
  dir = tempDir("singer-archived-");
  config = writeFile(dir, "config.json", emulatorSettings(emulator, { page_size: 10 }));
  const discovered = await runCli(["--config", config, "--discover"]);
  expect(discovered.code, discovered.stderr).toBe(0);
  full = JSON.parse(discovered.stdout) as Catalog;
  const parentOf = new Map(full.streams.map((s) => [s.tap_stream_id, rootMetadata(s)["parent-tap-stream-id"] as string | undefined]));
  const rootOf = (id: string): string => (parentOf.get(id) ? rootOf(parentOf.get(id)!) : id);
  underOrders = new Set(full.streams.map((s) => s.tap_stream_id).filter((id) => rootOf(id) === "orders"));
  catalog = writeFile(dir, "catalog.json", selectStreams(full, (id) => underOrders.has(id) || id === "customers"));

  first = await singerRun();
  const state = writeFile(dir, "state.json", lastState(first));
  const orders = emulator.store.orders.filter((o) => !o.deleted && o.lines.length > 0);
  const withCoupons = orders.find((o) => o.coupons.length > 0)!;
  const withoutCoupons = orders.find((o) => o.coupons.length === 0)!;
  archived = [withCoupons.id, withoutCoupons.id];
  for (const id of archived) emulator.store.deleteOrder(id);
  touched = orders.find((o) => !archived.includes(o.id))!.id;
  emulator.store.touchOrder(touched);
  second = await singerRun("--state", state);
});
afterAll(() => emulator?.close());

describe("archived orders in Singer output", () => {
  it("every table under orders declares _sdc_deleted_at as a nullable date-time; other streams do not", () => {
    for (const messages of [first, second]) {
      for (const stream of underOrders) {
        const schema = schemaOf(messages, stream);
        if (!schema) continue;
        expect((schema.properties as Record<string, unknown>)[DELETED_AT], stream).toEqual({ type: ["null", "string"], format: "date-time" });
      }
      expect(schemaOf(messages, "customers")!.properties).not.toHaveProperty(DELETED_AT);
    }
    for (const stream of ["orders", "order_products", "order_coupons"]) expect(schemaOf(second, stream), stream).toBeDefined();
  });

  it("the --discover catalog lists _sdc_deleted_at as its SCHEMA messages declare it, for the same tables, always selected", () => {
    for (const entry of full.streams) {
      const property = (entry.schema.properties as Record<string, unknown>)[DELETED_AT];
      const metadata = entry.metadata.find((m) => m.breadcrumb.length === 2 && m.breadcrumb[1] === DELETED_AT)?.metadata;
      if (!underOrders.has(entry.tap_stream_id)) {
        expect(property, entry.tap_stream_id).toBeUndefined();
        expect(metadata, entry.tap_stream_id).toBeUndefined();
        continue;
      }
      expect(property, entry.tap_stream_id).toEqual({ type: ["null", "string"], format: "date-time" });
      expect(metadata, entry.tap_stream_id).toMatchObject({ inclusion: "automatic" });
      const declared = schemaOf(second, entry.tap_stream_id);
      if (declared) expect((declared.properties as Record<string, unknown>)[DELETED_AT]).toEqual(property);
    }
  });

  it("the first run's records are all live: none carries a non-null _sdc_deleted_at", () => {
    expect(records(first).length).toBeGreaterThan(SMALL_STORE.orders);
    for (const m of records(first)) expect(m.record![DELETED_AT] ?? null, m.stream).toBeNull();
  });

  it("the archived order and every row that comes with it carry _sdc_deleted_at: the time the run read the archive", () => {
    const carried = new Map<string, Set<unknown>>();
    for (const m of records(second)) {
      if (!underOrders.has(m.stream!) || !archived.includes(orderOf(m.stream!, m.record!) as number)) continue;
      const at = m.record![DELETED_AT];
      expect(at, `${m.stream} ${JSON.stringify(m.record)}`).toBe(m.time_extracted);
      expect(new Date(at as string).toISOString()).toBe(at);
      let orders = carried.get(m.stream!);
      if (!orders) carried.set(m.stream!, (orders = new Set()));
      orders.add(orderOf(m.stream!, m.record!));
    }
    expect([...(carried.get("orders") ?? [])].sort()).toEqual([...archived].sort());
    expect([...(carried.get("order_products") ?? [])].sort()).toEqual([...archived].sort());
    expect([...(carried.get("order_coupons") ?? [])]).toEqual([archived[0]]);
    const flagged = records(second).filter((m) => m.stream === "orders" && m.record!.is_deleted === true).map((m) => m.record!.id);
    expect(flagged.sort()).toEqual([...archived].sort());
  });

  it("live records of the second run (the changed order, its line items, customers) carry no non-null _sdc_deleted_at", () => {
    const live = records(second).filter((m) => !underOrders.has(m.stream!) || !archived.includes(orderOf(m.stream!, m.record!) as number));
    expect(live.some((m) => m.stream === "orders" && m.record!.id === touched)).toBe(true);
    expect(live.some((m) => m.stream === "order_products" && m.record!.order_id === touched)).toBe(true);
    for (const m of live) expect(m.record![DELETED_AT] ?? null, `${m.stream} ${JSON.stringify(m.record)}`).toBeNull();
  });

  it("with is_deleted deselected, the archived order and its line items still carry it (the read, not the column, says archived)", async () => {
    const state = writeFile(dir, "state-2.json", lastState(second));
    const id = emulator.store.orders.find((o) => !o.deleted && o.lines.length > 0)!.id;
    emulator.store.deleteOrder(id);
    const selected = JSON.parse(readFileSync(catalog, "utf8")) as Catalog;
    const orders = selected.streams.find((s) => s.tap_stream_id === "orders")!;
    orders.metadata.find((m) => m.breadcrumb[1] === "is_deleted")!.metadata.selected = false;
    const withoutFlag = writeFile(dir, "without-is-deleted.json", selected);
    const result = await runCli(["--config", config, "--catalog", withoutFlag, "--state", state]);
    expect(result.code, result.stderr).toBe(0);
    const messages = parseSinger(result.stdout);
    expect(schemaOf(messages, "orders")!.properties).not.toHaveProperty("is_deleted");
    const rows = records(messages).filter((m) => underOrders.has(m.stream!) && orderOf(m.stream!, m.record!) === id);
    expect(rows.some((m) => m.stream === "orders")).toBe(true);
    expect(rows.some((m) => m.stream === "order_products")).toBe(true);
    for (const m of rows) {
      expect(m.record).not.toHaveProperty("is_deleted");
      expect(m.record![DELETED_AT], m.stream).toBe(m.time_extracted);
    }
  });

  it("every record validates against its stream's SCHEMA", () => {
    const ajv = singerAjv();
    const validators = new Map<string, ReturnType<typeof ajv.compile>>();
    for (const m of second) {
      if (m.type === "SCHEMA") validators.set(m.stream!, ajv.compile(m.schema!));
      if (m.type !== "RECORD") continue;
      const validate = validators.get(m.stream!)!;
      expect(validate(m.record), `${m.stream}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });
});
