/**
 * Singer semantics through the real command line against the emulator: catalog selection
 * (streams, fields, inclusion), replication method overrides, STATE shape and placement,
 * resuming an interrupted run, and `--properties` as the legacy name of `--catalog`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../src/emulator/index.ts";
import { lastState, parseSinger, recordsByStream, runCli, type SingerMessage, tempDir, writeFile } from "../support/cli.ts";
import { type Catalog, emulatorSettings, rootMetadata, SMALL_STORE } from "../support/singer.ts";

let emulator: Emulator;
let dir: string;
let config: string;
let discovered: Catalog;
let fullState: Record<string, unknown>;

/** Runs a sync; returns its messages (and fails the test on a non-zero exit unless told otherwise). */
async function sync(catalog: Catalog, options: { state?: unknown; flag?: string; configPath?: string; expectCode?: number } = {}) {
  const args = ["--config", options.configPath ?? config, options.flag ?? "--catalog", writeFile(dir, `catalog-${Math.random()}.json`, catalog)];
  if (options.state !== undefined) args.push("--state", writeFile(dir, `state-${Math.random()}.json`, options.state));
  const result = await runCli(args);
  expect(result.code, result.stderr).toBe(options.expectCode ?? 0);
  return { ...result, messages: parseSinger(result.stdout) };
}

/** The discovered catalog with metadata patches: `{ "orders": {...}, "orders.customer_message": {...} }`. */
function withMetadata(patches: Record<string, Record<string, unknown>>): Catalog {
  const catalog = structuredClone(discovered);
  for (const [target, patch] of Object.entries(patches)) {
    const [stream, field] = target.split(".");
    const entry = catalog.streams.find((s) => s.tap_stream_id === stream)!;
    const m = entry.metadata.find((m) => (field ? m.breadcrumb[1] === field : m.breadcrumb.length === 0))!;
    Object.assign(m.metadata, patch);
  }
  return catalog;
}

/** Only these streams selected (by `selected` on their root metadata). */
function only(...streams: string[]): Catalog {
  return withMetadata(Object.fromEntries(discovered.streams.map((s) => [s.tap_stream_id, { selected: streams.includes(s.tap_stream_id) }])));
}

const emitted = (messages: SingerMessage[]) => new Set(messages.filter((m) => m.type === "RECORD").map((m) => m.stream!));
const schemaOf = (messages: SingerMessage[], stream: string) => messages.find((m) => m.type === "SCHEMA" && m.stream === stream)!;

beforeAll(async () => {
  emulator = await startEmulator({ rateLimit: false, sizes: SMALL_STORE });
  dir = tempDir("singer-semantics-");
  config = writeFile(dir, "config.json", emulatorSettings(emulator, { page_size: 10, max_retries: 0 }));
  const result = await runCli(["--config", config, "--discover"]);
  expect(result.code, result.stderr).toBe(0);
  discovered = JSON.parse(result.stdout);
  const first = await sync(only("orders", "order_products"));
  fullState = lastState(first.messages)!;
});
afterAll(() => emulator?.close());

describe("stream selection", () => {
  it("takes `selected`, else `selected-by-default`", async () => {
    // Discovery sets no `selected`: brands (selected by default) is synced, transactions (not) is not.
    const { messages } = await sync(withMetadata({ orders: { selected: true }, customers: { selected: false } }));
    const streams = emitted(messages);
    expect(streams.has("orders")).toBe(true);
    expect(streams.has("brands")).toBe(true);
    expect(streams.has("customers")).toBe(false);
    expect(streams.has("transactions")).toBe(false);
    expect(rootMetadata(discovered.streams.find((s) => s.tap_stream_id === "transactions")!)["selected-by-default"]).toBe(false);
    expect(messages.some((m) => m.type === "SCHEMA" && m.stream === "customers")).toBe(false);
  });

  it("treats `inclusion: unsupported` as not selected, and reads a child stream without its parent", async () => {
    const catalog = only("order_products", "orders");
    Object.assign(rootMetadata(catalog.streams.find((s) => s.tap_stream_id === "orders")!), { inclusion: "unsupported" });
    const streams = emitted((await sync(catalog)).messages);
    expect(streams.has("order_products")).toBe(true);
    expect(streams.has("orders")).toBe(false);
  });

  it("leaves out a deselected split child table and keeps its selected parent", async () => {
    const all = emitted((await sync(only("orders", "order_products", "order_products_product_options"))).messages);
    expect(all.has("order_products_product_options")).toBe(true);
    const some = emitted((await sync(only("orders", "order_products"))).messages);
    expect(some.has("order_products")).toBe(true);
    expect(some.has("order_products_product_options")).toBe(false);
  });
});

describe("field selection", () => {
  let messages: SingerMessage[];
  beforeAll(async () => {
    const catalog = withMetadata({
      ...Object.fromEntries(discovered.streams.map((s) => [s.tap_stream_id, { selected: s.tap_stream_id === "orders" }])),
      "orders.customer_message": { selected: false },
      "orders.staff_notes": { inclusion: "unsupported" },
      "orders.id": { selected: false }, // primary key: automatic
      "orders.date_modified": { selected: false }, // replication key: automatic
      "orders.status": { inclusion: "automatic", selected: false }, // the host says automatic
    });
    ({ messages } = await sync(catalog));
  });

  it("does not emit a deselected or unsupported field, in the SCHEMA or any RECORD", () => {
    const properties = Object.keys(schemaOf(messages, "orders").schema!.properties as object);
    expect(properties).not.toContain("customer_message");
    expect(properties).not.toContain("staff_notes");
    const records = recordsByStream(messages).get("orders")!;
    expect(records).toHaveLength(SMALL_STORE.orders);
    for (const r of records) {
      expect(r).not.toHaveProperty("customer_message");
      expect(r).not.toHaveProperty("staff_notes");
    }
  });

  it("always emits automatic fields", () => {
    const properties = Object.keys(schemaOf(messages, "orders").schema!.properties as object);
    for (const field of ["id", "date_modified", "status"]) expect(properties).toContain(field);
    for (const r of recordsByStream(messages).get("orders")!) {
      expect(typeof r.id).toBe("number");
      expect(typeof r.date_modified).toBe("string");
      expect(typeof r.status).toBe("string");
    }
  });
});

describe("replication", () => {
  it("bookmarks orders as bookmarks.orders {replication_key, replication_key_value}", () => {
    const bookmarks = fullState.bookmarks as Record<string, Record<string, unknown>>;
    expect(bookmarks.orders.replication_key).toBe("date_modified");
    expect(String(bookmarks.orders.replication_key_value)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    expect(fullState.currently_syncing ?? null).toBeNull();
  });

  it("INCREMENTAL from a final STATE re-reads nothing; a FULL_TABLE override reads everything again", async () => {
    const incremental = await sync(only("orders"), { state: fullState });
    expect(recordsByStream(incremental.messages).get("orders") ?? []).toHaveLength(0);
    const full = await sync(withMetadata({ ...Object.fromEntries(discovered.streams.map((s) => [s.tap_stream_id, { selected: s.tap_stream_id === "orders" }])), orders: { selected: true, "replication-method": "FULL_TABLE" } }), { state: fullState });
    expect(recordsByStream(full.messages).get("orders")).toHaveLength(SMALL_STORE.orders);
    // The legacy catalog-entry field is honoured too.
    const legacy = only("orders");
    const entry = legacy.streams.find((s) => s.tap_stream_id === "orders")!;
    delete rootMetadata(entry)["replication-method"];
    entry.replication_method = "FULL_TABLE";
    expect(recordsByStream((await sync(legacy, { state: fullState })).messages).get("orders")).toHaveLength(SMALL_STORE.orders);
  });

  it("keeps a full-table-only stream full-table under a blanket INCREMENTAL", async () => {
    const catalog = only("brands");
    rootMetadata(catalog.streams.find((s) => s.tap_stream_id === "brands")!)["replication-method"] = "INCREMENTAL";
    const first = await sync(catalog);
    const again = await sync(catalog, { state: lastState(first.messages) });
    expect(recordsByStream(again.messages).get("brands")).toHaveLength(SMALL_STORE.brands);
  });
});

describe("STATE", () => {
  it("names the stream being synced while it is, and comes after the records of each page", async () => {
    const { messages } = await sync(only("orders", "customers"));
    const states = messages.map((m, i) => ({ m, i })).filter(({ m }) => m.type === "STATE");
    const orderLines = messages.map((m, i) => ({ m, i })).filter(({ m }) => m.type === "RECORD" && m.stream === "orders");
    // Pages of 10: a STATE after each page of orders, naming orders.
    const midOrders = states.filter(({ i }) => i > orderLines[0].i && i < orderLines.at(-1)!.i);
    expect(midOrders.length).toBeGreaterThanOrEqual(3);
    for (const { m } of midOrders) expect(m.value!.currently_syncing).toBe("orders");
    expect(messages.at(-1)!.type).toBe("STATE");
    expect(messages.at(-1)!.value!.currently_syncing ?? null).toBeNull();
    // The first line is never a STATE: nothing is covered yet.
    expect(messages[0].type).toBe("SCHEMA");
  });
});

describe("an interrupted run", () => {
  it("resumes from its last STATE without losing or repeating a record", async () => {
    // The third request for an order page fails (no retries): the run stops after two pages.
    emulator.setFaults([{ kind: "status", status: 500, match: "/v2/orders?", skip: 2, times: 1 }]);
    const broken = await sync(only("orders"), { expectCode: 1 });
    emulator.setFaults([]);
    const before = recordsByStream(broken.messages).get("orders")!.map((r) => r.id);
    expect(before.length).toBeGreaterThanOrEqual(10); // the pages read before the failure (seeking may overlap a page by a record)
    expect(before.length).toBeLessThan(SMALL_STORE.orders);
    const state = lastState(broken.messages)!;
    expect(state.currently_syncing).toBe("orders");
    const resumed = await sync(only("orders"), { state });
    const after = recordsByStream(resumed.messages).get("orders")!.map((r) => r.id);
    expect(after.filter((id) => before.includes(id))).toEqual([]);
    expect(new Set([...before, ...after]).size).toBe(SMALL_STORE.orders);
  });

  it("killed mid-output, resumes from the last complete STATE line without losing a record", async () => {
    const catalog = only("orders", "order_products");
    const complete = await sync(catalog);
    const total = complete.messages.length;
    const path = writeFile(dir, "killed-catalog.json", catalog);
    const killed = await runCli(["--config", config, "--catalog", path], { killAfterLines: Math.floor(total / 2) });
    expect(killed.code).toBeNull(); // killed by the signal
    const lines = killed.stdout.split("\n").slice(0, -1); // the last line may be cut
    const partial = parseSinger(lines.join("\n"));
    const lastStateAt = partial.map((m) => m.type).lastIndexOf("STATE");
    expect(lastStateAt).toBeGreaterThan(0);
    const resumed = await sync(catalog, { state: partial[lastStateAt].value });
    for (const stream of ["orders", "order_products"]) {
      const key = (r: Record<string, unknown>) => `${r.id}/${r.order_id ?? ""}`;
      const expected = new Set(recordsByStream(complete.messages).get(stream)!.map(key));
      const got = new Set([...(recordsByStream(partial).get(stream) ?? []), ...(recordsByStream(resumed.messages).get(stream) ?? [])].map(key));
      expect(got, stream).toEqual(expected);
      // Only records after the last STATE may come twice.
      const covered = (recordsByStream(partial.slice(0, lastStateAt)).get(stream) ?? []).map(key);
      const again = (recordsByStream(resumed.messages).get(stream) ?? []).map(key);
      expect(again.filter((k) => covered.includes(k)), stream).toEqual([]);
    }
  });
});

describe("--properties", () => {
  it("is accepted as the legacy name of --catalog", async () => {
    const catalog = only("brands", "categories");
    const viaCatalog = await sync(catalog);
    const viaProperties = await sync(catalog, { flag: "--properties" });
    expect([...emitted(viaProperties.messages)].sort()).toEqual(["brands", "categories"]);
    const count = (m: SingerMessage[]) => [...recordsByStream(m)].map(([s, r]) => `${s}:${r.length}`).sort();
    expect(count(viaProperties.messages)).toEqual(count(viaCatalog.messages));
  });
});
