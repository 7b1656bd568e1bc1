/**
 * The detail streams of issue 12 through the real CLI into DuckDB, against the emulator: inline order
 * detail at no extra request, per-order streams asked only for the orders that can have rows (with
 * their requests in the summary), the product options pass, reviews, store configuration, the
 * channel filter, and the best-effort payment methods.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.ts";
import { orderShipments, orderTaxes, productDetail } from "../../src/emulator/data/gen-extras.ts";
import { runCli, tempDir, writeFile } from "../support/cli.ts";
import { emulatorWithConfig } from "../support/emulator.ts";
import { query } from "./fixtures.ts";

let emulator: Emulator;
let dir: string;
let raw: Record<string, unknown>;

beforeAll(async () => {
  ({ emulator, raw } = await emulatorWithConfig({ sizes: { orders: 120, products: 30, customers: 40 } }, { page_size: 50 }));
  dir = tempDir("tap-bc-detail-");
});
afterAll(() => emulator.close());

async function load(name: string, streams: string, settings: Record<string, unknown> = {}) {
  const db = join(dir, `${name}.duckdb`);
  const config = writeFile(dir, `${name}.json`, { ...raw, ...settings });
  emulator.log.clear();
  const result = await runCli(["load", "--config", config, "--duckdb", db, "--streams", streams]);
  expect(result.code, result.stderr).toBe(0);
  return { db, result, byEndpoint: emulator.log.countByEndpoint() };
}

const count = async (db: string, sql: string) => Number((await query(db, sql))[0]!.n);
const columnType = async (db: string, table: string, column: string) =>
  String((await query(db, `select data_type from information_schema.columns where table_schema = 'bigcommerce' and table_name = '${table}' and column_name = '${column}'`))[0]?.data_type);
const live = () => emulator.store.orders.filter((o) => !o.deleted);

describe("order detail", () => {
  it("fees and consignments of every kind come inline with the order pages: no request of their own", async () => {
    const { db, byEndpoint } = await load("inline", "orders,order_fees,order_consignments");
    // Besides the order pages: the store identity check and the orders/count completeness check.
    expect(Object.keys(byEndpoint).filter((e) => !["GET /v2/orders", "GET /v2/store", "GET /v2/orders/count"].includes(e))).toEqual([]);
    const orders = live();
    const expected = orders.reduce((n, o) => {
      const digital = o.lines.some((l) => l.type === "digital") ? 1 : 0;
      return n + o.shipping.length + (o.pickup ? 1 : 0) + digital + o.lines.filter((l) => l.type === "giftcertificate").length;
    }, 0);
    expect(await count(db, "select count(*) as n from bigcommerce.order_consignments")).toBe(expected);
    // Every kind is there, keyed by (order_id, kind, index): downloads and gift certificate emails have no id.
    const kinds = await query(db, "select kind, count(*)::int as n, count(id)::int as with_id from bigcommerce.order_consignments group by kind order by kind");
    expect(kinds.map((k) => k.kind)).toEqual(["download", "gift_certificate", "pickup", "shipping"]);
    expect(kinds.find((k) => k.kind === "download")!.with_id).toBe(0);
    expect(await count(db, "select count(*) as n from (select distinct order_id, kind, index from bigcommerce.order_consignments)")).toBe(expected);
    // Line items stay in order_products, not here.
    expect(await columnType(db, "order_consignments", "line_items")).toBe("undefined");
    const fees = await query(db, "select order_id, cost_inc_tax::varchar as cost from bigcommerce.order_fees order by order_id");
    expect(fees.length).toBeGreaterThan(0);
    expect(await columnType(db, "order_fees", "cost_inc_tax")).toMatch(/^DECIMAL/);
    expect(await columnType(db, "order_consignments", "index")).toMatch(/INT/);
    expect(await columnType(db, "order_consignments", "kind")).toBe("VARCHAR");
  });

  it("asks for shipments, taxes and messages per order only where the order can have rows, and says how many requests each made", async () => {
    const { db, result, byEndpoint } = await load("per-order", "orders,order_shipments,order_taxes,order_messages");
    const orders = live();
    const shipped = orders.filter((o) => o.lines.some((l) => l.quantityShipped > 0));
    const taxed = orders.filter((o) => orderTaxes(o).length > 0);
    expect(byEndpoint["GET /v2/orders/{id}/shipments"]).toBe(shipped.length);
    // One request per taxed order; a page holds 50 rows (page_size), so an order with more lines takes more.
    const taxPages = taxed.reduce((n, o) => n + Math.ceil(orderTaxes(o).length / 50), 0);
    expect(taxPages).toBeGreaterThan(taxed.length); // the store has an order with more than 50 lines
    expect(byEndpoint["GET /v2/orders/{id}/taxes"]).toBe(taxPages);
    expect(byEndpoint["GET /v2/orders/{id}/messages"]).toBe(orders.length);
    expect(shipped.length).toBeLessThan(orders.length);
    expect(taxed.length).toBeLessThan(orders.length);
    const shipments = shipped.flatMap((o) => orderShipments(emulator.store.seed, o));
    expect(await count(db, "select count(*) as n from bigcommerce.order_shipments")).toBe(shipments.length);
    expect(await count(db, "select count(*) as n from bigcommerce.order_shipments_items")).toBe(shipments.reduce((n, s) => n + s.items.length, 0));
    expect(await count(db, "select count(*) as n from bigcommerce.order_taxes")).toBe(taxed.reduce((n, o) => n + orderTaxes(o).length, 0));
    expect(await columnType(db, "order_shipments", "date_created")).toMatch(/TIMESTAMP/);
    // The run summary names each per-order stream with its requests.
    expect(result.stdout).toMatch(new RegExp(`order_shipments\\s+\\d+ records, ${shipped.length} requests`));
    expect(result.stdout).toMatch(new RegExp(`order_taxes\\s+\\d+ records, ${taxPages} requests`));
    expect(result.stdout).toMatch(new RegExp(`order_messages\\s+\\d+ records, ${orders.length} requests`));
  });

  it("a store whose orders have no tax and nothing shipped costs no per-order taxes or shipments request", async () => {
    emulator.store.addField("orders", "total_tax", "0.0000");
    emulator.store.addField("orders", "items_shipped", 0);
    try {
      const byDefault = await load("untaxed-default", "orders,order_products,order_shipping_addresses,order_coupons,order_fees,order_consignments");
      const optIn = await load("untaxed-opt-in", "orders,order_shipments,order_taxes");
      for (const { byEndpoint } of [byDefault, optIn]) {
        expect(byEndpoint["GET /v2/orders/{id}/taxes"] ?? 0).toBe(0);
        expect(byEndpoint["GET /v2/orders/{id}/shipments"] ?? 0).toBe(0);
      }
      expect(optIn.result.stdout).toMatch(/order_taxes\s+0 records, 0 requests/);
    } finally {
      emulator.store.removeField("orders", "total_tax");
      emulator.store.removeField("orders", "items_shipped");
    }
  });
});

describe("catalog detail", () => {
  it("fills bulk pricing rules, videos, channels and the primary image from the product pages", async () => {
    const { db, byEndpoint } = await load("catalog", "products,product_bulk_pricing_rules,product_videos");
    expect(Object.keys(byEndpoint).filter((e) => e !== "GET /v3/catalog/products" && e !== "GET /v2/store")).toEqual([]);
    const include = emulator.log.filter({ endpoint: "GET /v3/catalog/products" })[0]!.query.include!.split(",");
    expect(include).toEqual(expect.arrayContaining(["bulk_pricing_rules", "videos", "primary_image", "channels"]));
    expect(include).not.toContain("options");
    const details = emulator.store.products.map((p) => productDetail(emulator.store.seed, p));
    expect(await count(db, "select count(*) as n from bigcommerce.product_bulk_pricing_rules")).toBe(details.reduce((n, d) => n + d.bulkRules.length, 0));
    expect(await count(db, "select count(*) as n from bigcommerce.product_videos")).toBe(details.reduce((n, d) => n + d.videos.length, 0));
    expect(await count(db, "select count(*) as n from bigcommerce.products where channels is not null")).toBe(emulator.store.products.length);
    const withImage = emulator.store.products.filter((p) => p.images.some((i) => i.isThumbnail)).length;
    expect(await count(db, "select count(*) as n from bigcommerce.products where primary_image_url_standard is not null")).toBe(withImage);
  });

  it("reads options and modifiers in a pass of their own, 10 products a page, ids only", async () => {
    const { db, byEndpoint } = await load("options", "product_options,product_modifiers");
    const pages = emulator.log.filter({ endpoint: "GET /v3/catalog/products" });
    expect(pages.length).toBe(Math.ceil(emulator.store.products.length / 10));
    for (const page of pages) {
      expect(page.query.limit).toBe("10");
      expect(page.query.include_fields).toBe("id");
      expect(page.query.include!.split(",").sort()).toEqual(["modifiers", "options"]);
    }
    expect(Object.keys(byEndpoint)).toContain("GET /v3/catalog/products");
    expect(await count(db, "select count(*) as n from bigcommerce.product_options")).toBe(emulator.store.products.reduce((n, p) => n + p.options.length, 0));
    expect(await count(db, "select count(*) as n from bigcommerce.product_options_option_values")).toBe(
      emulator.store.products.reduce((n, p) => n + p.options.reduce((m, o) => m + o.values.length, 0), 0),
    );
    const modifiers = emulator.store.products.flatMap((p) => productDetail(emulator.store.seed, p).modifiers.map((m) => ({ p, m })));
    expect(modifiers.length).toBeGreaterThan(0);
    expect(await count(db, "select count(*) as n from bigcommerce.product_modifiers")).toBe(modifiers.length);
    const sample = modifiers[0]!;
    expect(await count(db, `select count(*) as n from bigcommerce.product_modifiers where id = ${sample.m.id} and product_id = ${sample.p.id}`)).toBe(1);
  });

  it("asks for reviews only for products with reviews, and only for products changed since the bookmark", async () => {
    const first = await load("reviews", "products,product_reviews");
    const reviewed = emulator.store.products.filter((p) => productDetail(emulator.store.seed, p).reviews.length > 0);
    expect(reviewed.length).toBeGreaterThan(0);
    expect(reviewed.length).toBeLessThan(emulator.store.products.length);
    expect(first.byEndpoint["GET /v3/catalog/products/{id}/reviews"]).toBe(reviewed.length);
    expect(await count(first.db, "select count(*) as n from bigcommerce.product_reviews")).toBe(
      reviewed.reduce((n, p) => n + productDetail(emulator.store.seed, p).reviews.length, 0),
    );
    emulator.store.touchProduct(reviewed[0]!.id);
    emulator.log.clear();
    const again = await runCli(["load", "--config", writeFile(dir, "reviews.json", raw), "--duckdb", first.db, "--streams", "products,product_reviews"]);
    expect(again.code, again.stderr).toBe(0);
    expect(emulator.log.count({ endpoint: "GET /v3/catalog/products/{id}/reviews" })).toBe(1);
  });

  it("reviews keep a bookmark of their own: selected for the first time they read every product, and they catch up on runs without them", async () => {
    const db = join(dir, "review-bookmarks.duckdb");
    const config = writeFile(dir, "review-bookmarks.json", raw);
    const reviewsAsked = async (streams: string) => {
      emulator.log.clear();
      const result = await runCli(["load", "--config", config, "--duckdb", db, "--streams", streams]);
      expect(result.code, result.stderr).toBe(0);
      return emulator.log.count({ endpoint: "GET /v3/catalog/products/{id}/reviews" });
    };
    const bookmark = async (stream: string) => {
      const [row] = await query(db, "select state::varchar as state from bigcommerce._state");
      return JSON.parse(String(row!.state)).bookmarks[stream] as { replication_key_value: string } | undefined;
    };
    const reviewed = emulator.store.products.filter((p) => productDetail(emulator.store.seed, p).reviews.length > 0);
    expect(await reviewsAsked("products")).toBe(0);
    expect(await bookmark("product_reviews")).toBeUndefined();
    // Products already have a bookmark; reviews, new, still read from the beginning: every product with reviews.
    expect(await reviewsAsked("products,product_reviews")).toBe(reviewed.length);
    expect(await count(db, "select count(*) as n from bigcommerce.product_reviews")).toBe(
      reviewed.reduce((n, p) => n + productDetail(emulator.store.seed, p).reviews.length, 0),
    );
    const reviewsMark = (await bookmark("product_reviews"))!.replication_key_value;
    expect(reviewsMark).toBe((await bookmark("products"))!.replication_key_value);
    // A run without reviews moves the products bookmark past a change; the reviews bookmark stays, so the next
    // run with reviews still asks for that product's reviews (and only for it).
    emulator.store.touchProduct(reviewed[1]!.id);
    emulator.store.touchProduct(emulator.store.products.find((p) => !reviewed.includes(p))!.id);
    expect(await reviewsAsked("products")).toBe(0);
    expect((await bookmark("product_reviews"))!.replication_key_value).toBe(reviewsMark);
    expect(Date.parse((await bookmark("products"))!.replication_key_value)).toBeGreaterThan(Date.parse(reviewsMark));
    expect(await reviewsAsked("products,product_reviews")).toBe(1);
    expect(Date.parse((await bookmark("product_reviews"))!.replication_key_value)).toBeGreaterThan(Date.parse(reviewsMark));
    expect(await reviewsAsked("products,product_reviews")).toBe(0);
  });
});

describe("column types of the detail streams", () => {
  /** Written by hand from the specs' kinds and docs/duckdb.md's rules (money exact, ids and counts whole, dates with zone). */
  const EXPECTED: Record<string, string> = {
    order_statuses: "id BIGINT, name VARCHAR, sort_order BIGINT",
    order_consignments: "order_id BIGINT, kind VARCHAR, index BIGINT, id BIGINT, items_total BIGINT, base_cost DECIMAL(18,4), cost_inc_tax DECIMAL(18,4)",
    order_fees: "id BIGINT, order_id BIGINT, cost_inc_tax DECIMAL(18,4)",
    order_shipments: "id BIGINT, order_id BIGINT, order_address_id BIGINT, date_created TIMESTAMPTZ, merchant_shipping_cost DECIMAL(18,4), tracking_number VARCHAR",
    order_shipments_items: "order_product_id BIGINT, product_id BIGINT, quantity BIGINT",
    order_taxes: "id BIGINT, order_id BIGINT, tax_rate_id BIGINT, line_amount DECIMAL(18,4), priority_amount DECIMAL(18,4), order_product_id VARCHAR",
    order_messages: "id BIGINT, order_id BIGINT, is_flagged BOOLEAN, date_created TIMESTAMPTZ",
    payment_methods: "code VARCHAR, test_mode BOOLEAN",
    product_reviews: "id BIGINT, product_id BIGINT, rating BIGINT, date_reviewed TIMESTAMPTZ, date_modified TIMESTAMPTZ",
    product_metafields: "id BIGINT, resource_id BIGINT, value VARCHAR, date_modified TIMESTAMPTZ",
    variant_metafields: "id BIGINT, resource_id BIGINT, date_modified TIMESTAMPTZ",
    category_metafields: "id BIGINT, resource_id BIGINT, date_modified TIMESTAMPTZ",
    brand_metafields: "id BIGINT, resource_id BIGINT, date_modified TIMESTAMPTZ",
    order_metafields: "id BIGINT, resource_id BIGINT, date_modified TIMESTAMPTZ",
    customer_metafields: "id BIGINT, resource_id BIGINT, date_modified TIMESTAMPTZ",
    customer_attributes: "id BIGINT, name VARCHAR, date_created TIMESTAMPTZ",
    customer_attribute_values: "id BIGINT, attribute_id BIGINT, customer_id BIGINT, attribute_value VARCHAR, date_modified TIMESTAMPTZ",
    customer_segments: "id VARCHAR, name VARCHAR, created_at TIMESTAMPTZ, updated_at TIMESTAMPTZ",
    shipping_zones: "id BIGINT, enabled BOOLEAN, free_shipping_minimum_sub_total DECIMAL(18,4), handling_fees_fixed_surcharge DECIMAL(18,4)",
    shipping_methods: "id BIGINT, zone_id BIGINT, channel_ids BIGINT[], settings_rate DECIMAL(18,4), handling_fees_fixed_surcharge DECIMAL(18,4)",
  };

  it("every detail table has rows, its columns typed from the spec (none from the data)", async () => {
    const streams = [...Object.keys(EXPECTED).filter((t) => t !== "order_shipments_items"), "orders", "products"].join(",");
    const { db } = await load("types", streams);
    const rows = await query(
      db,
      `select table_name, column_name, replace(data_type, 'TIMESTAMP WITH TIME ZONE', 'TIMESTAMPTZ') as type
       from information_schema.columns where table_schema = 'bigcommerce'`,
    );
    for (const [table, columns] of Object.entries(EXPECTED)) {
      expect(await count(db, `select count(*) as n from bigcommerce.${table}`), table).toBeGreaterThan(0);
      const stored = Object.fromEntries(rows.filter((r) => r.table_name === table).map((r) => [r.column_name, r.type]));
      for (const pair of columns.split(", ")) {
        const [column, type] = pair.split(" ") as [string, string];
        expect(stored[column], `${table}.${column}`).toBe(type);
      }
      // Every column is planned: a field the spec lacks would land after _rescued, typed by its data.
      const names = rows.filter((r) => r.table_name === table).map((r) => String(r.column_name));
      expect(names.slice(names.indexOf("_rescued") + 1), table).toEqual(["_extracted_at", "_load_id", "_deleted_at"]);
    }
  });
});

describe("store configuration, customers and the channel filter", () => {
  it("reads order statuses, shipping zones with their methods, customer attributes, segments and metafields", async () => {
    const streams = "order_statuses,shipping_zones,shipping_methods,customer_attributes,customer_attribute_values,customer_segments," +
      "product_metafields,variant_metafields,category_metafields,brand_metafields,order_metafields,customer_metafields,customers";
    const { db, byEndpoint } = await load("config", streams);
    const extras = emulator.store.extras;
    expect(byEndpoint["GET /v2/shipping/zones/{id}/methods"]).toBe(extras.shippingZones.length);
    expect(await count(db, "select count(*) as n from bigcommerce.order_statuses")).toBe(15);
    expect(await count(db, "select count(*) as n from bigcommerce.shipping_methods")).toBe(extras.shippingZones.reduce((n, z) => n + z.methods.length, 0));
    expect(await count(db, "select count(*) as n from bigcommerce.customer_segments")).toBe(extras.segments.length);
    expect(await count(db, "select count(*) as n from bigcommerce.customer_attribute_values")).toBe(extras.attributeValues.length);
    for (const owner of ["product", "variant", "category", "brand", "order", "customer"] as const) {
      expect(await count(db, `select count(*) as n from bigcommerce.${owner}_metafields`), owner).toBe(extras.metafields[owner].length);
    }
    // Store credit and attribute values come inline with the customers (include=storecredit,attributes).
    expect(await count(db, "select count(*) as n from bigcommerce.customers_store_credit_amounts")).toBe(emulator.store.customers.length);
    expect(await count(db, "select count(*) as n from bigcommerce.customers_attributes")).toBe(extras.attributeValues.length);
    expect(await columnType(db, "customer_attribute_values", "date_modified")).toMatch(/TIMESTAMP/);
  });

  it("keeps only the channel's rows where the list has no channel filter (shipping methods by channel_ids)", async () => {
    const { db } = await load("channel", "shipping_zones,shipping_methods,orders", { channel_id: 2 });
    const serving = emulator.store.extras.shippingZones.flatMap((z) => z.methods).filter((m) => m.channelIds.includes(2));
    expect(serving.length).toBeGreaterThan(0);
    expect(await count(db, "select count(*) as n from bigcommerce.shipping_methods")).toBe(serving.length);
    expect(await count(db, "select count(*) as n from bigcommerce.orders where channel_id <> 2")).toBe(0);
  });

  it("payment methods are best effort: a 404 is a warning and the load succeeds", async () => {
    emulator.setFaults([{ kind: "status", status: 404, match: "/v2/payments/methods" }]);
    const { db, result } = await load("payments", "payment_methods,order_statuses");
    expect(result.stderr).toMatch(/warning: payment_methods: v2\/payments\/methods answered 404/);
    expect(await count(db, "select count(*) as n from bigcommerce.order_statuses")).toBe(15);
    const ok = await load("payments-ok", "payment_methods");
    expect(await count(ok.db, "select count(*) as n from bigcommerce.payment_methods")).toBe(emulator.store.extras.paymentMethods.length);
  });
});
