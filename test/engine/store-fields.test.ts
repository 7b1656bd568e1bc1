/**
 * Store-specific fields against the emulator: discovery asks the store for its form field and
 * custom field names (and keeps the static schema when it cannot), a sync pivots the
 * `{name, value}` arrays into columns, and names first met during a sync add columns.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateConfig } from "../../src/config/load.ts";
import { ALL_SCOPES, type Emulator } from "../../src/emulator/index.ts";
import { type Catalog, discover, discoverFromStore, selectionFromCatalog, STORE_FIELD_METADATA } from "../../src/engine/catalog.ts";
import { flattenRecord, newSink } from "../../src/engine/flatten.ts";
import { planStream } from "../../src/engine/schema.ts";
import { snakeCase } from "../../src/engine/store-fields.ts";
import { plannedTables, sync } from "../../src/engine/sync.ts";
import { defineStream } from "../../src/engine/registry.ts";
import type { TableSchema } from "../../src/engine/types.ts";
import { InputError } from "../../src/errors.ts";
import { registry } from "../../streams/index.ts";
import { collect, emulatorWithConfig, FAST_RETRIES } from "../support/emulator.ts";

const SIZES = { orders: 60, customers: 40, products: 20 };
const CUSTOMER_COLUMNS = ["form_field_employees", "form_field_how_did_you_hear_about_us", "form_field_interests", "form_field_tax_id"];
const ORDER_COLUMNS = ["billing_address_form_field_delivery_instructions", "billing_address_form_field_vat_number"];
const PRODUCT_COLUMNS = ["custom_field_care", "custom_field_material", "custom_field_origin", "custom_field_warranty"];

const columnsOf = (catalog: Catalog, stream: string, prefix: string) =>
  Object.keys(catalog.streams.find((s) => s.tap_stream_id === stream)!.schema.properties ?? {}).filter((c) => c.startsWith(prefix)).sort();

let emulator: Emulator;
let config: ReturnType<typeof validateConfig>;
beforeAll(async () => {
  ({ emulator, config } = await emulatorWithConfig({ sizes: SIZES }));
});
afterAll(() => emulator.close());

describe("discovery from the store", () => {
  it("adds the store's form field and custom field names as string columns, with a few bounded requests", async () => {
    emulator.log.clear();
    const messages: string[] = [];
    const catalog = await discoverFromStore(config, { log: (m) => messages.push(m), clientOptions: FAST_RETRIES });
    expect(messages.filter((m) => m.startsWith("warning"))).toEqual([]);
    expect(columnsOf(catalog, "customers", "form_field_")).toEqual(CUSTOMER_COLUMNS);
    expect(columnsOf(catalog, "orders", "billing_address_form_field_")).toEqual(ORDER_COLUMNS);
    expect(columnsOf(catalog, "products", "custom_field_")).toEqual(PRODUCT_COLUMNS);
    const customers = catalog.streams.find((s) => s.tap_stream_id === "customers")!;
    expect(customers.schema.properties!.form_field_interests).toEqual({ type: ["string", "null"] });
    const field = customers.metadata.find((m) => m.breadcrumb[1] === "form_field_how_did_you_hear_about_us")!.metadata;
    expect(field[STORE_FIELD_METADATA]).toEqual({ path: "form_fields", name: "How did you hear about us?" });
    // The arrays are columns now, not child tables; the tables are those of the static catalog.
    const names = catalog.streams.map((s) => s.tap_stream_id);
    expect(names).toEqual(discover(config).streams.map((s) => s.tap_stream_id));
    expect(names).not.toContain("customers_form_fields");
    expect(names).not.toContain("orders_billing_address_form_fields");
    // Only customer entries count (address form fields have address_id): no Delivery Instructions on customers.
    expect(columnsOf(catalog, "customers", "form_field_delivery")).toEqual([]);
    expect(emulator.log.countByEndpoint()).toEqual({
      "GET /v2/store": 1, "GET /v3/customers/form-field-values": 1, "GET /v2/orders": 1, "GET /v3/catalog/products": 1,
    });
  });

  it("without a scope keeps that stream's static schema, warns naming the stream and the scope, and discovers the rest", async () => {
    emulator.setScopes(ALL_SCOPES.filter((s) => s !== "store_v2_customers_read_only"));
    try {
      const messages: string[] = [];
      const catalog = await discoverFromStore(config, { log: (m) => messages.push(m), clientOptions: FAST_RETRIES });
      expect(columnsOf(catalog, "customers", "form_field_")).toEqual([]);
      const warnings = messages.filter((m) => m.startsWith("warning"));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/stream 'customers' keeps its static schema.*OAuth scope 'store_v2_customers_read_only'/);
      expect(columnsOf(catalog, "orders", "billing_address_form_field_")).toEqual(ORDER_COLUMNS);
    } finally {
      emulator.setScopes(null);
    }
  });

  it("an unreachable store fails the discovery quickly, with one line naming the URL (no static catalog passed off as the store's)", async () => {
    const offline = validateConfig({ ...config, api_url: "http://127.0.0.1:9" });
    const started = Date.now();
    await expect(discoverFromStore(offline, { clientOptions: FAST_RETRIES })).rejects.toThrow(/^cannot connect to http:\/\/127\.0\.0\.1:9: /);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("leaves the table-count limit as it was: same table count, and a too-low limit fails before any request", async () => {
    const catalog = await discoverFromStore(config, { clientOptions: FAST_RETRIES });
    const everything = { streams: registry.map((s) => s.name) };
    const withFields = selectionFromCatalog(catalog, "test");
    const planned = plannedTables(config, { ...everything, storeFields: withFields.storeFields });
    expect(planned.length).toBe(plannedTables(config, everything).length);
    expect(planned.find((t) => t.name === "customers")!.columns.map((c) => c.name)).toEqual(expect.arrayContaining(CUSTOMER_COLUMNS));
    emulator.log.clear();
    const tight = validateConfig({ ...config, max_tables: 5 });
    await expect(discoverFromStore(tight)).rejects.toBeInstanceOf(InputError);
    expect(emulator.log.count()).toBe(0);
  });
});

describe("a sync with store-specific fields", () => {
  it("pivots customer form fields, order billing form fields and product custom fields into columns with the store's values", async () => {
    const catalog = await discoverFromStore(config, { clientOptions: FAST_RETRIES });
    const selection = selectionFromCatalog(catalog, "test");
    const { rows } = await collect({ config, selection: { ...selection, streams: ["customers", "orders", "products", "product_custom_fields"] } });
    const customers = new Map(rows.get("customers")!.map((r) => [r.id, r]));
    expect(customers.size).toBe(SIZES.customers);
    let filled = 0;
    for (const c of emulator.store.customers) {
      const row = customers.get(c.id)!;
      expect(row).not.toHaveProperty("form_fields");
      for (const f of c.formFields) {
        const column = CUSTOMER_COLUMNS.find((x) => x.endsWith(f.name.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/_$/, "")))!;
        expect(row[column], `${c.id} ${f.name}`).toBe(Array.isArray(f.value) ? JSON.stringify(f.value) : String(f.value));
        filled++;
      }
    }
    expect(filled).toBeGreaterThan(SIZES.customers);
    expect(rows.get("customers")!.some((r) => typeof r.form_field_employees === "string")).toBe(true); // numbers as text
    expect(rows.get("customers")!.some((r) => String(r.form_field_interests).startsWith("["))).toBe(true); // checkboxes as JSON
    const orders = new Map(rows.get("orders")!.map((r) => [r.id, r]));
    for (const o of emulator.store.orders) {
      const row = orders.get(o.id)!;
      const vat = o.billingFormFields.find((f) => f.name === "VAT Number")?.value ?? null;
      expect(row.billing_address_form_field_vat_number ?? null).toBe(vat);
      expect(row).not.toHaveProperty("billing_address_form_fields");
    }
    expect(rows.get("orders")!.filter((r) => r.billing_address_form_field_delivery_instructions).length).toBeGreaterThan(0);
    const products = new Map(rows.get("products")!.map((r) => [r.id, r]));
    for (const p of emulator.store.products) {
      for (const f of p.customFields) expect(products.get(p.id)![`custom_field_${f.name.toLowerCase()}`]).toBe(f.value);
    }
    // The long table stays, complete.
    expect(rows.get("product_custom_fields")!.length).toBe(emulator.store.products.reduce((n, p) => n + p.customFields.length, 0));
    expect(rows.has("customers_form_fields")).toBe(false);
  });

  it("a name discovery did not know adds a column, announced before the rows; names alike get __2; repeats become JSON", async () => {
    const catalog = await discoverFromStore(config, { clientOptions: FAST_RETRIES });
    const selection = selectionFromCatalog(catalog, "test");
    const [first, second] = emulator.store.customers;
    first.formFields.push({ name: "Loyalty Tier", value: "Gold" });
    second.formFields.push({ name: "tax-id", value: "other" }, { name: "Loyalty Tier", value: "Silver" });
    const product = emulator.store.products[0];
    product.customFields.push({ id: 9001, name: "Feature", value: "A" }, { id: 9002, name: "Feature", value: "B" });
    emulator.store.touchCustomer(first.id);
    emulator.store.touchCustomer(second.id);
    emulator.store.touchProduct(product.id);
    try {
      const schemas = new Map<string, TableSchema[]>();
      const seen: Record<string, unknown>[] = [];
      let announcedBeforeRow = false;
      for await (const event of sync({ config, selection: { ...selection, streams: ["customers", "products"] }, clientOptions: FAST_RETRIES })) {
        if (event.type === "schema") schemas.set(event.table.name, [...(schemas.get(event.table.name) ?? []), event.table]);
        if (event.type !== "batch") continue;
        for (const row of event.rows.get("customers") ?? []) {
          if ("form_field_loyalty_tier" in row && seen.every((r) => !("form_field_loyalty_tier" in r))) {
            announcedBeforeRow = schemas.get("customers")!.at(-1)!.columns.some((c) => c.name === "form_field_loyalty_tier");
          }
          seen.push(row);
        }
        seen.push(...(event.rows.get("products") ?? []));
      }
      expect(announcedBeforeRow).toBe(true);
      const customerSchemas = schemas.get("customers")!;
      expect(customerSchemas.length).toBeGreaterThan(1);
      expect(customerSchemas[0].columns.map((c) => c.name)).toEqual(expect.arrayContaining(CUSTOMER_COLUMNS));
      expect(customerSchemas.at(-1)!.columns.find((c) => c.name === "form_field_loyalty_tier")!.type).toBe("string");
      const byId = new Map(seen.filter((r) => "email" in r).map((r) => [r.id, r]));
      expect(byId.get(first.id)!.form_field_loyalty_tier).toBe("Gold");
      expect(byId.get(second.id)!.form_field_loyalty_tier).toBe("Silver");
      expect(byId.get(second.id)!.form_field_tax_id__2).toBe("other");
      const taxId = second.formFields.find((f) => f.name === "Tax ID")?.value ?? null;
      expect(byId.get(second.id)!.form_field_tax_id ?? null).toBe(taxId);
      const productRow = seen.find((r) => "sku" in r && r.id === product.id)!;
      expect(productRow.custom_field_feature).toBe('["A","B"]');
    } finally {
      first.formFields.pop();
      second.formFields.splice(-2);
      product.customFields.splice(-2);
    }
  });

  it("a sync without the customers scope skips customers as before, naming the scope; orders keep their columns", async () => {
    emulator.setScopes(ALL_SCOPES.filter((s) => s !== "store_v2_customers_read_only"));
    try {
      const { rows, skipped } = await collect({ config, selection: { streams: ["customers", "orders"] } });
      expect(skipped.join("\n")).toMatch(/store_v2_customers_read_only/);
      expect(rows.get("orders")!.length).toBe(SIZES.orders);
      expect(rows.get("orders")!.some((r) => typeof r.billing_address_form_field_vat_number === "string")).toBe(true);
    } finally {
      emulator.setScopes(null);
    }
  });
});

describe("the pivot", () => {
  const entries = { type: "array", items: { type: "object", properties: { name: { type: "string" }, value: {} } } };
  const gadgets = defineStream({
    name: "gadgets", description: "test stream", api: "v3", path: "gadgets", primaryKey: ["id"], scope: "none", writeMode: "merge",
    schema: { type: "object", properties: { id: { type: "integer" }, extra: { type: "object", properties: { fields: entries, note: { type: "string" } } } } },
    storeFields: [{
      path: "extra.fields", prefix: "f_", maxColumns: 2,
      discover: { api: "v3", path: "gadgets", pagination: "v3-offset", names: "extra.fields[].name", scope: "none" },
    }],
  });

  it("names columns in snake_case, keeping letters of any script", () => {
    expect(snakeCase("How did you hear about us?")).toBe("how_did_you_hear_about_us");
    expect(snakeCase("Größe / Maß")).toBe("große_maß");
    expect(snakeCase("Café")).toBe("cafe");
    expect(snakeCase("?!")).toBe("field");
  });

  it("keeps the array out of the other columns, and entries over the column limit or without a name in _rescued", () => {
    const plan = planStream(gadgets, { maxNestingDepth: 3, storeFields: { gadgets: { "extra.fields": ["Colour"] } } });
    expect(plan.table.columns.map((c) => c.name)).toEqual(["id", "extra_note", "f_colour", "_rescued"]);
    const sink = newSink();
    flattenRecord(plan, {
      id: 1,
      extra: { note: "n", fields: [{ name: "Colour", value: "red" }, { name: "Size", value: 4 }, { name: "Weight", value: 2 }, { value: "anonymous" }] },
    }, sink);
    const [row] = sink.tables.get("gadgets")!.toRows();
    expect(row).toEqual({
      id: 1, extra_note: "n", f_colour: "red", f_size: "4",
      _rescued: { extra_fields: [{ value: "anonymous" }, { name: "Weight", value: 2 }] },
    });
    expect(sink.evolved.has(plan)).toBe(true);
    const second = newSink();
    flattenRecord(plan, { id: 2, extra: { fields: "not a list" } }, second);
    const [again] = second.tables.get("gadgets")!.toRows();
    expect(again._rescued).toEqual({ extra_fields: "not a list" });
  });
});
