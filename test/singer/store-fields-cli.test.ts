/**
 * Store-specific fields through the real command line (`node bin/tap-bigcommerce.js`, built
 * by `npm test`): `--discover` with and without the scope (exit 0 either way; exit 1 when the
 * store cannot be reached), a Singer sync
 * that announces a new field's column before its records, and a DuckDB load with the columns.
 */
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALL_SCOPES, type Emulator, startEmulator } from "../../src/emulator/index.ts";
import { parseSinger, runCli, tempDir, writeFile } from "../support/cli.ts";
import { type Catalog, emulatorSettings, selectStreams, SMALL_STORE } from "../support/singer.ts";

let emulator: Emulator;
let dir: string;
let config: string;
beforeAll(async () => {
  emulator = await startEmulator({ rateLimit: false, sizes: SMALL_STORE });
  dir = tempDir("store-fields-");
  config = writeFile(dir, "config.json", emulatorSettings(emulator));
});
afterAll(() => emulator?.close());

const columns = (catalog: Catalog, stream: string, prefix: string) =>
  Object.keys(catalog.streams.find((s) => s.tap_stream_id === stream)!.schema.properties).filter((c) => c.startsWith(prefix));

describe("--discover", () => {
  it("lists the store's form field and custom field columns when the token has the scopes", async () => {
    const result = await runCli(["--config", config, "--discover"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain("warning");
    const catalog = JSON.parse(result.stdout) as Catalog;
    expect(columns(catalog, "customers", "form_field_")).toEqual(expect.arrayContaining(["form_field_tax_id", "form_field_interests"]));
    expect(columns(catalog, "orders", "billing_address_form_field_")).toContain("billing_address_form_field_delivery_instructions");
    expect(columns(catalog, "products", "custom_field_")).toContain("custom_field_material");
  });

  it("without the customers scope: exit 0, the static customers schema, and a warning naming the stream and the scope", async () => {
    emulator.setScopes(ALL_SCOPES.filter((s) => s !== "store_v2_customers_read_only"));
    try {
      const result = await runCli(["--config", config, "--discover"]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/warning: discovery: stream 'customers' keeps its static schema.*'store_v2_customers_read_only'/);
      const catalog = JSON.parse(result.stdout) as Catalog;
      expect(columns(catalog, "customers", "form_field_")).toEqual([]);
      expect(catalog.streams.map((s) => s.tap_stream_id)).toContain("customers");
      expect(columns(catalog, "orders", "billing_address_form_field_").length).toBeGreaterThan(0);
    } finally {
      emulator.setScopes(null);
    }
  });

  it("with the store unreachable: exit 1 and one line naming the URL, no catalog (the identity check comes first)", async () => {
    const offline = writeFile(dir, "offline.json", emulatorSettings(emulator, { api_url: "http://127.0.0.1:9" }));
    const result = await runCli(["--config", offline, "--discover"]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/^tap-bigcommerce: error: cannot connect to http:\/\/127\.0\.0\.1:9: /);
    expect(result.stdout).toBe("");
  });
});

describe("sync and load", () => {
  it("Singer: the discovered columns are in the first SCHEMA; a new name re-emits SCHEMA before its record", async () => {
    const discovered = JSON.parse((await runCli(["--config", config, "--discover"])).stdout) as Catalog;
    const catalog = writeFile(dir, "customers.json", selectStreams(discovered, (id) => id === "customers"));
    const customer = emulator.store.customers.at(-1)!;
    customer.formFields.push({ name: "Loyalty Tier", value: "Gold" });
    emulator.store.touchCustomer(customer.id);
    try {
      const result = await runCli(["--config", config, "--catalog", catalog]);
      expect(result.code, result.stderr).toBe(0);
      const messages = parseSinger(result.stdout).filter((m) => m.stream === "customers");
      const schemas = messages.map((m, i) => ({ m, i })).filter(({ m }) => m.type === "SCHEMA");
      const props = (n: number) => Object.keys((schemas[n].m.schema as { properties: object }).properties);
      expect(props(0)).toEqual(expect.arrayContaining(["form_field_tax_id", "form_field_how_did_you_hear_about_us"]));
      expect(props(0)).not.toContain("form_field_loyalty_tier");
      const firstWithTier = messages.findIndex((m) => m.type === "RECORD" && "form_field_loyalty_tier" in (m.record as object));
      const announced = schemas.find(({ m }) => Object.keys((m.schema as { properties: object }).properties).includes("form_field_loyalty_tier"))!;
      expect(announced.i).toBeLessThan(firstWithTier);
      const record = messages.find((m) => m.type === "RECORD" && (m.record as { id: number }).id === customer.id)!.record as Record<string, unknown>;
      expect(record.form_field_loyalty_tier).toBe("Gold");
      expect(record).not.toHaveProperty("form_fields");
    } finally {
      customer.formFields.pop();
    }
  });

  it("DuckDB: load creates the pivoted columns and fills them", async () => {
    const db = join(dir, "fields.duckdb");
    const load = await runCli(["load", "--config", config, "--duckdb", db, "--streams", "customers,orders,products"]);
    expect(load.code, load.stderr).toBe(0);
    const instance = await DuckDBInstance.create(db, { access_mode: "READ_ONLY" });
    const connection = await instance.connect();
    try {
      const read = async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
      const cols = (await read(
        "select table_name, column_name, data_type from information_schema.columns where table_schema = 'bigcommerce' and (column_name like 'form\\_field\\_%' escape '\\' or column_name like '%custom\\_field\\_%' escape '\\' or column_name like 'billing\\_address\\_form%' escape '\\')",
      )).map((r) => `${r.table_name}.${r.column_name} ${r.data_type}`);
      expect(cols).toEqual(expect.arrayContaining([
        "customers.form_field_tax_id VARCHAR", "customers.form_field_interests VARCHAR",
        "orders.billing_address_form_field_delivery_instructions VARCHAR", "products.custom_field_material VARCHAR",
      ]));
      expect(cols.some((c) => c.startsWith("orders.billing_address_form_fields"))).toBe(false);
      const tables = (await read("select table_name from information_schema.tables where table_schema = 'bigcommerce'")).map((r) => r.table_name);
      expect(tables).not.toContain("customers_form_fields");
      for (const c of emulator.store.customers) {
        const [row] = await read(`select form_field_tax_id, form_field_interests from bigcommerce.customers where id = ${c.id}`);
        const interests = c.formFields.find((f) => f.name === "Interests")?.value;
        expect(row.form_field_tax_id).toBe(c.formFields.find((f) => f.name === "Tax ID")?.value ?? null);
        expect(row.form_field_interests).toBe(interests === undefined ? null : JSON.stringify(interests));
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
