/**
 * Singer conformance, modelled on the Meltano SDK's standard tap tests, run against the
 * emulator through the real command line (`node bin/tap-bigcommerce.js`).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../src/emulator/index.ts";
import { registry } from "../../streams/index.ts";
import { parseSinger, recordsByStream, ROOT, runCli, type SingerMessage, tempDir, writeFile } from "../support/cli.ts";
import { type Catalog, emulatorSettings, indexed, keyOf, rootMetadata, selectStreams, singerAjv, SMALL_STORE } from "../support/singer.ts";

let emulator: Emulator;
let dir: string;
let configPath: string;
let catalog: Catalog;
let discoverOutput: string;
/** A sync of every stream (all selected in the catalog). */
let messages: SingerMessage[];

beforeAll(async () => {
  emulator = await startEmulator({ rateLimit: false, sizes: SMALL_STORE });
  dir = tempDir("conformance-");
  // Small pages: several pages per stream, so several STATE messages.
  configPath = writeFile(dir, "config.json", emulatorSettings(emulator, { page_size: 10 }));
  const discovered = await runCli(["--config", configPath, "--discover"]);
  expect(discovered.code, discovered.stderr).toBe(0);
  discoverOutput = discovered.stdout;
  catalog = JSON.parse(discoverOutput);
  const all = writeFile(dir, "all.json", selectStreams(catalog, () => true));
  const synced = await runCli(["--config", configPath, "--catalog", all]);
  expect(synced.code, synced.stderr).toBe(0);
  messages = parseSinger(synced.stdout);
});
afterAll(() => emulator?.close());

describe("the command line", () => {
  it("prints its version", async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    const result = await runCli(["--version"]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(`tap-bigcommerce ${pkg.version}`);
  });

  it("prints --about as JSON with name, version, capabilities and a settings JSON Schema", async () => {
    const result = await runCli(["--about", "--format", "json"]);
    expect(result.code).toBe(0);
    const about = JSON.parse(result.stdout);
    expect(about.name).toBe("tap-bigcommerce");
    expect(about.capabilities).toEqual(expect.arrayContaining(["about", "catalog", "discover", "state"]));
    expect(singerAjv().validateSchema(about.settings)).toBe(true);
    expect(about.settings.required).toEqual(["store_hash", "access_token", "start_date"]);
  });
});

describe("discovery", () => {
  it("prints a valid catalog: every entry with an id, a JSON Schema, key properties in the schema and root metadata", () => {
    const ajv = singerAjv();
    expect(catalog.streams.length).toBeGreaterThanOrEqual(registry.length);
    expect(new Set(catalog.streams.map((s) => s.tap_stream_id)).size).toBe(catalog.streams.length);
    for (const entry of catalog.streams) {
      expect(entry.stream, entry.tap_stream_id).toBe(entry.tap_stream_id);
      expect(ajv.validateSchema(entry.schema), `${entry.tap_stream_id}: ${ajv.errorsText()}`).toBe(true);
      ajv.compile(entry.schema);
      for (const key of entry.key_properties) expect(entry.schema.properties, entry.tap_stream_id).toHaveProperty(key);
      const root = rootMetadata(entry);
      expect(root["table-key-properties"]).toEqual(entry.key_properties);
      expect(typeof root["selected-by-default"]).toBe("boolean");
      if (entry.replication_key) {
        expect(entry.schema.properties).toHaveProperty(entry.replication_key);
        expect(root["valid-replication-keys"]).toEqual([entry.replication_key]);
        expect(entry.replication_method).toBe("INCREMENTAL");
      } else {
        expect(root["forced-replication-method"]).toBe("FULL_TABLE");
      }
      // One metadata entry per property, key properties automatic.
      const properties = entry.metadata.filter((m) => m.breadcrumb[0] === "properties").map((m) => m.breadcrumb[1]);
      expect(properties.sort()).toEqual(Object.keys(entry.schema.properties).sort());
      for (const key of entry.key_properties) {
        expect(entry.metadata.find((m) => m.breadcrumb[1] === key)!.metadata.inclusion).toBe("automatic");
      }
    }
    for (const stream of registry) expect(catalog.streams.map((s) => s.tap_stream_id)).toContain(stream.name);
  });

  it("re-runs unchanged as --catalog: the streams selected by default", async () => {
    const path = writeFile(dir, "discovered.json", discoverOutput);
    const result = await runCli(["--config", configPath, "--catalog", path]);
    expect(result.code, result.stderr).toBe(0);
    const emitted = new Set(parseSinger(result.stdout).filter((m) => m.type === "RECORD").map((m) => m.stream));
    for (const stream of registry) expect(emitted.has(stream.name), stream.name).toBe(stream.selectedByDefault !== false);
  });
});

describe("a sync of every stream", () => {
  it("returns records for every stream", () => {
    const records = recordsByStream(messages);
    for (const stream of registry) expect(records.get(stream.name)?.length ?? 0, stream.name).toBeGreaterThan(0);
  });

  it("writes only SCHEMA, RECORD and STATE lines, a SCHEMA before a stream's first RECORD", () => {
    const seen = new Set<string>();
    for (const m of messages) {
      expect(["SCHEMA", "RECORD", "STATE"]).toContain(m.type);
      if (m.type === "SCHEMA") seen.add(m.stream!);
      if (m.type === "RECORD") {
        expect(seen.has(m.stream!), `RECORD of ${m.stream} before its SCHEMA`).toBe(true);
        expect(Number.isNaN(Date.parse(m.time_extracted!))).toBe(false);
      }
    }
  });

  it("gives every stream a valid JSON Schema", () => {
    const ajv = singerAjv();
    const schemas = messages.filter((m) => m.type === "SCHEMA");
    expect(schemas.length).toBeGreaterThan(0);
    for (const m of schemas) {
      expect(ajv.validateSchema(m.schema!), `${m.stream}: ${ajv.errorsText()}`).toBe(true);
      expect(() => ajv.compile(m.schema!), m.stream).not.toThrow();
      for (const key of m.key_properties!) expect((m.schema!.properties as object), m.stream).toHaveProperty(key);
    }
  });

  it("emits records that validate against their stream's SCHEMA, with no key the schema lacks", () => {
    const ajv = singerAjv();
    const validators = new Map<string, ReturnType<typeof ajv.compile>>();
    const properties = new Map<string, Set<string>>();
    let checked = 0;
    for (const m of messages) {
      if (m.type === "SCHEMA") {
        validators.set(m.stream!, ajv.compile(m.schema!));
        properties.set(m.stream!, new Set(Object.keys(m.schema!.properties as object)));
      }
      if (m.type !== "RECORD") continue;
      const validate = validators.get(m.stream!)!;
      expect(validate(m.record), `${m.stream} ${JSON.stringify(m.record).slice(0, 300)}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      const extra = Object.keys(m.record!).filter((k) => !properties.get(m.stream!)!.has(k));
      expect(extra, m.stream).toEqual([]);
      checked++;
    }
    expect(checked).toBeGreaterThan(300);
  });

  it("enforces the formats: a money value that is not a decimal string, or a date that is not a date-time, fails validation", () => {
    const ajv = singerAjv();
    const schema = messages.find((m) => m.type === "SCHEMA" && m.stream === "products")!.schema!;
    const record = messages.find((m) => m.type === "RECORD" && m.stream === "products")!.record!;
    const validate = ajv.compile(schema);
    expect(validate(record)).toBe(true);
    expect(validate({ ...record, price: "twelve" })).toBe(false);
    expect(validate({ ...record, price: 12.5 })).toBe(false);
    expect(validate({ ...record, date_modified: "yesterday" })).toBe(false);
    expect(validate({ ...record, id: 1.5 })).toBe(false);
  });

  it("sends money from v2 strings and v3 numbers alike, as decimal strings with four decimals; ids and counts as integers", () => {
    const records = recordsByStream(messages);
    const money = /^-?\d+\.\d{4}$/;
    for (const [stream, column] of [["orders", "total_inc_tax"], ["order_products", "price_inc_tax"], ["products", "price"], ["product_variants", "calculated_price"], ["refunds", "total_amount"]]) {
      const values = records.get(stream)!.map((r) => r[column]).filter((v) => v !== null);
      expect(values.length, `${stream}.${column}`).toBeGreaterThan(0);
      for (const v of values) expect(v, `${stream}.${column}`).toMatch(money);
    }
    for (const rate of records.get("currencies")!.map((r) => r.currency_exchange_rate)) expect(rate).toMatch(/^\d+\.\d{10}$/);
    for (const order of records.get("orders")!) {
      for (const column of ["customer_id", "items_total", "shipping_address_count"]) expect(Number.isInteger(order[column]), column).toBe(true);
    }
  });

  it("gives every record its primary key, non-null and unique within its stream", () => {
    const keys = new Map<string, string[]>();
    const seen = new Map<string, Set<string>>();
    for (const m of messages) {
      if (m.type === "SCHEMA") keys.set(m.stream!, m.key_properties!);
      if (m.type !== "RECORD") continue;
      const pk = keys.get(m.stream!)!;
      expect(pk.length, m.stream).toBeGreaterThan(0);
      for (const k of pk) expect(m.record![k] ?? null, `${m.stream}.${k}`).not.toBeNull();
      const set = seen.get(m.stream!) ?? new Set();
      const key = keyOf(m.record!, pk);
      expect(set.has(key), `${m.stream} ${key} twice`).toBe(false);
      set.add(key);
      seen.set(m.stream!, set);
    }
  });

  it("ends with a STATE that carries no progress markers: bookmarks only, currently_syncing cleared", () => {
    const last = messages.at(-1)!;
    expect(last.type).toBe("STATE");
    const state = last.value as { bookmarks: Record<string, Record<string, unknown>>; currently_syncing?: string | null };
    expect(state.currently_syncing ?? null).toBeNull();
    expect(JSON.stringify(state)).not.toMatch(/progress_markers|partitions/);
    const incremental = catalog.streams.filter((s) => s.replication_key && !rootMetadata(s)["parent-tap-stream-id"]);
    for (const entry of incremental) {
      const bookmark = state.bookmarks[entry.tap_stream_id];
      expect(bookmark, entry.tap_stream_id).toBeDefined();
      expect(bookmark.replication_key).toBe(entry.replication_key);
      expect(Number.isNaN(Date.parse(String(bookmark.replication_key_value)))).toBe(false);
    }
  });

  it("writes a STATE only after the RECORDs it covers", () => {
    const cursorOf = new Map<string, string>();
    const keysOf = new Map<string, string[]>();
    const all = indexed(messages);
    for (const m of all) {
      if (m.type === "SCHEMA" && m.bookmark_properties) cursorOf.set(m.stream!, m.bookmark_properties[0]);
      if (m.type === "SCHEMA") keysOf.set(m.stream!, m.key_properties!);
    }
    const records = all.filter((m) => m.type === "RECORD");
    let covered = 0;
    for (const state of all.filter((m) => m.type === "STATE")) {
      const bookmarks = (state.value as { bookmarks: Record<string, { replication_key_value?: string; boundary_keys?: string[] }> }).bookmarks;
      for (const [stream, bookmark] of Object.entries(bookmarks)) {
        const cursor = cursorOf.get(stream);
        if (!cursor || bookmark.replication_key_value === undefined) continue;
        const mark = Date.parse(bookmark.replication_key_value);
        const boundary = new Set(bookmark.boundary_keys ?? []);
        for (const r of records.filter((r) => r.stream === stream)) {
          const at = Date.parse(String(r.record![cursor]));
          const isCovered = at < mark || (at === mark && boundary.has(keysOf.get(stream)!.map((k) => String(r.record![k])).join("|")));
          if (!isCovered) continue;
          covered++;
          expect(r.index, `${stream} record at ${r.record![cursor]} comes after the STATE at line ${state.index}`).toBeLessThan(state.index);
        }
      }
    }
    expect(covered).toBeGreaterThan(0);
    // Mid-run STATEs say which stream is being synced.
    const syncing = all.filter((m) => m.type === "STATE").map((m) => (m.value as { currently_syncing?: string | null }).currently_syncing);
    expect(syncing).toContain("orders");
  });
});
