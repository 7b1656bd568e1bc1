/**
 * Validates real emulator responses of every endpoint the product uses against BigCommerce's own
 * OpenAPI response schemas (shared reference, skipped when absent).
 *
 * Where the spec is wrong or too strict, the case patches the schema and says why.
 */
import { Ajv } from "ajv";
import formats from "ajv-formats";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.ts";
import { get, HAS_SHARED, SHARED_API, start } from "./helpers.ts";
import { Spec } from "./openapi.ts";

const REFERENCE = resolve(SHARED_API, "reference");

function makeAjv() {
  // unicodeRegExp off: the specs' patterns (e.g. coupon code `[a-zA-Z0-9_\ -]`) are not valid with the u flag.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  // ajv-formats is CommonJS: its default import is the plugin or, under strict ESM typing, the module.
  const addFormats = ((formats as unknown as { default?: typeof formats }).default ?? formats) as unknown as (a: Ajv) => void;
  addFormats(ajv);
  ajv.addFormat("ISO-4217", /^[A-Za-z]{3}$/);
  ajv.addFormat("url", true);
  return ajv;
}

interface Case {
  name: string;
  file: string;
  specPath: string;
  /** Requests (below /stores/{hash}) whose 200 bodies must validate. */
  requests: (emu: Emulator) => string[];
  /** Adjusts the converted schema where the spec is wrong. */
  patch?: (schema: any) => void;
}

const orderIds = (emu: Emulator, pick: (o: Emulator["store"]["orders"][number]) => boolean, n = 6) =>
  emu.store.orders.filter(pick).slice(0, n).map((o) => o.id);

const pages = (path: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${path}${path.includes("?") ? "&" : "?"}page=${i + 1}&limit=250`);

const CASES: Case[] = [
  { name: "v2 orders", file: "orders.v2.oas2.yml", specPath: "/orders", requests: () => pages("/v2/orders", 5) },
  {
    name: "v2 orders with inline consignments and line items", file: "orders.v2.oas2.yml", specPath: "/orders",
    requests: () => pages("/v2/orders?include=consignments.line_items&consignment_structure=object", 5),
  },
  {
    name: "v2 orders with consignment links", file: "orders.v2.oas2.yml", specPath: "/orders",
    requests: () => pages("/v2/orders?include=consignments&consignment_structure=object", 2),
  },
  {
    name: "v2 order", file: "orders.v2.oas2.yml", specPath: "/orders/{order_id}",
    requests: (emu) => orderIds(emu, () => true).map((id) => `/v2/orders/${id}?include=consignments.line_items,fees&consignment_structure=object`),
  },
  {
    name: "v2 order products", file: "orders.v2.oas2.yml", specPath: "/orders/{order_id}/products",
    requests: (emu) => [
      ...orderIds(emu, (o) => o.lines.length > 50, 2), ...orderIds(emu, (o) => o.lines.some((l) => l.options.length > 0)),
      ...orderIds(emu, (o) => o.lines.some((l) => l.type === "giftcertificate"), 2),
    ].map((id) => `/v2/orders/${id}/products?limit=250`),
  },
  {
    name: "v2 order shipping addresses", file: "orders.v2.oas2.yml", specPath: "/orders/{order_id}/shipping_addresses",
    requests: (emu) => orderIds(emu, (o) => o.shipping.length > 0).map((id) => `/v2/orders/${id}/shipping_addresses`),
  },
  {
    name: "v2 order coupons", file: "orders.v2.oas2.yml", specPath: "/orders/{order_id}/coupons",
    requests: (emu) => orderIds(emu, (o) => o.coupons.length > 0).map((id) => `/v2/orders/${id}/coupons`),
  },
  { name: "v2 order count", file: "orders.v2.oas2.yml", specPath: "/orders/count", requests: () => ["/v2/orders/count"] },
  { name: "v2 customer groups", file: "customers.v2.yml", specPath: "/customer_groups", requests: () => ["/v2/customer_groups"] },
  { name: "v2 coupons", file: "marketing.v2.yml", specPath: "/coupons", requests: () => ["/v2/coupons?limit=250"] },
  { name: "v2 customer group count", file: "customers.v2.yml", specPath: "/customer_groups/count", requests: () => ["/v2/customer_groups/count"] },
  { name: "v2 coupon count", file: "marketing.v2.yml", specPath: "/coupons/count", requests: () => ["/v2/coupons/count"] },
  { name: "v2 gift certificates", file: "marketing.v2.yml", specPath: "/gift_certificates", requests: () => ["/v2/gift_certificates?limit=250"] },
  {
    name: "v2 currencies", file: "currencies.v2.yml", specPath: "/currencies", requests: () => ["/v2/currencies"],
    // The spec gives last_updated `format: date-time`, but v2 dates are RFC 2822 (its own example
    // shows `Tue, 12 Jun 2018 14:41:56 +0000`); check the RFC 2822 shape instead.
    patch: (schema) => {
      const props = schema.definitions.currency_Full.allOf[1].properties; // items: currency_Full
      delete props.last_updated.format;
      props.last_updated.pattern = "^[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} [+-]\\d{4}$";
    },
  },
  { name: "v2 store", file: "store_information.v2.yml", specPath: "/store", requests: () => ["/v2/store"] },
  {
    name: "v3 customers", file: "customers.v3.yml", specPath: "/customers",
    requests: (emu) => [
      "/v3/customers?limit=250", "/v3/customers?page=2&limit=100", "/v3/customers?include=addresses,storecredit,attributes,formfields&limit=250",
      `/v3/customers?limit=50&sort=date_modified:asc&after=${firstCursor(emu)}`,
    ],
  },
  {
    name: "v3 customer addresses", file: "customers.v3.yml", specPath: "/customers/addresses",
    requests: () => ["/v3/customers/addresses?limit=250", "/v3/customers/addresses?include=formfields&limit=250"],
  },
  {
    name: "v3 customer form field values", file: "customers.v3.yml", specPath: "/customers/form-field-values",
    requests: () => ["/v3/customers/form-field-values?limit=250", "/v3/customers/form-field-values?page=2&limit=250", "/v3/customers/form-field-values?field_type=checkboxes"],
  },
  { name: "v3 subscribers", file: "subscribers.v3.yml", specPath: "/customers/subscribers", requests: () => ["/v3/customers/subscribers?limit=250"] },
  {
    name: "v3 products", file: "catalog/products_catalog.v3.yml", specPath: "/catalog/products",
    requests: () => [
      "/v3/catalog/products?limit=250", "/v3/catalog/products?include=images,custom_fields&sort=date_modified&direction=asc&limit=250",
      "/v3/catalog/products?include=variants,options,primary_image,modifiers,bulk_pricing_rules,videos,channels&limit=250",
    ],
  },
  {
    name: "v3 product", file: "catalog/products_catalog.v3.yml", specPath: "/catalog/products/{product_id}",
    requests: (emu) => emu.store.products.slice(0, 5).map((p) => `/v3/catalog/products/${p.id}?include=images,custom_fields,variants`),
  },
  { name: "v3 variants", file: "catalog/product-variants_catalog.v3.yml", specPath: "/catalog/variants", requests: () => pages("/v3/catalog/variants", 2) },
  { name: "v3 brands", file: "catalog/brands_catalog.v3.yml", specPath: "/catalog/brands", requests: () => ["/v3/catalog/brands?limit=250"] },
  {
    name: "v3 tree categories", file: "catalog/category-trees_catalog.v3.yml", specPath: "/catalog/trees/categories",
    requests: () => ["/v3/catalog/trees/categories?limit=250"],
  },
  { name: "v3 trees", file: "catalog/category-trees_catalog.v3.yml", specPath: "/catalog/trees", requests: () => ["/v3/catalog/trees"] },
  { name: "v3 price lists", file: "price_lists.v3.yml", specPath: "/pricelists", requests: () => ["/v3/pricelists"] },
  {
    name: "v3 price list records", file: "price_lists.v3.yml", specPath: "/pricelists/{price_list_id}/records",
    requests: (emu) => emu.store.priceLists.map((l) => `/v3/pricelists/${l.id}/records?limit=250&include=sku,bulk_pricing_tiers`),
  },
  { name: "v3 inventory items", file: "inventory.v3.yml", specPath: "/inventory/items", requests: () => pages("/v3/inventory/items", 2) },
  {
    name: "v3 pages", file: "pages.v3.yml", specPath: "/content/pages",
    requests: () => ["/v3/content/pages", "/v3/content/pages?include=body"],
  },
  { name: "v3 channels", file: "channels.v3.yml", specPath: "/channels", requests: () => ["/v3/channels"] },
  { name: "v3 promotions", file: "promotions.v3.yml", specPath: "/promotions", requests: () => ["/v3/promotions?limit=250"] },
  {
    name: "v3 transactions", file: "orders.v3.yml", specPath: "/orders/{order_id}/transactions",
    requests: (emu) => {
      const kinds = new Map<string, number>();
      for (const o of emu.store.orders) if (o.transactions.length && !kinds.has(o.paymentStatus)) kinds.set(o.paymentStatus, o.id);
      return [...kinds.values()].map((id) => `/v3/orders/${id}/transactions`);
    },
  },
  { name: "v3 refunds", file: "orders.v3.yml", specPath: "/orders/payment_actions/refunds", requests: () => ["/v3/orders/payment_actions/refunds?limit=250"] },
  // Store detail (issue 12): order detail, store configuration, customer attributes, segments, metafields, catalog detail.
  {
    name: "v2 orders with fees", file: "orders.v2.oas2.yml", specPath: "/orders",
    requests: () => pages("/v2/orders?include=fees,consignments.line_items&consignment_structure=object", 2),
  },
  {
    name: "v2 order consignments", file: "orders.v2.oas2.yml", specPath: "/orders/{order_id}/consignments",
    requests: (emu) => [...orderIds(emu, (o) => o.pickup !== null, 2), ...orderIds(emu, (o) => o.lines.some((l) => l.type !== "physical"), 3)]
      .map((id) => `/v2/orders/${id}/consignments?include=consignments.line_items`),
  },
  {
    name: "v2 order shipments", file: "orders.v2.oas2.yml", specPath: "/orders/{order_id}/shipments",
    requests: (emu) => orderIds(emu, (o) => o.lines.some((l) => l.quantityShipped > 0)).map((id) => `/v2/orders/${id}/shipments`),
  },
  {
    name: "v2 order taxes", file: "orders.v2.oas2.yml", specPath: "/orders/{order_id}/taxes",
    requests: (emu) => orderIds(emu, (o) => o.taxRate > 0).map((id) => `/v2/orders/${id}/taxes`),
  },
  {
    name: "v2 order messages", file: "orders.v2.oas2.yml", specPath: "/orders/{order_id}/messages",
    requests: (emu) => orderIds(emu, (o) => o.customerMessage !== "", 3).map((id) => `/v2/orders/${id}/messages`),
  },
  { name: "v2 order statuses", file: "orders.v2.oas2.yml", specPath: "/order_statuses", requests: () => ["/v2/order_statuses"] },
  { name: "v2 shipping zones", file: "shipping.v2.yml", specPath: "/shipping/zones", requests: () => ["/v2/shipping/zones"] },
  {
    name: "v2 shipping methods", file: "shipping.v2.yml", specPath: "/shipping/zones/{zone_id}/methods",
    requests: (emu) => emu.store.extras.shippingZones.map((z) => `/v2/shipping/zones/${z.id}/methods`),
  },
  { name: "v2 payment methods", file: "payments/methods_payments.v2.yml", specPath: "/payments/methods", requests: () => ["/v2/payments/methods"] },
  {
    name: "v3 customer attributes", file: "customers.v3.yml", specPath: "/customers/attributes",
    requests: () => ["/v3/customers/attributes", "/v3/customers/attributes?date_modified:min=2024-01-01T00:00:00Z"],
  },
  {
    name: "v3 customer attribute values", file: "customers.v3.yml", specPath: "/customers/attribute-values",
    requests: () => ["/v3/customers/attribute-values?limit=250", "/v3/customers/attribute-values?page=2&limit=20"],
  },
  { name: "v3 segments", file: "segments.v3.yml", specPath: "/segments", requests: () => ["/v3/segments"] },
  ...([
    ["product", "catalog/products_catalog.v3.yml", "/catalog/products/metafields"],
    ["variant", "catalog/product-variants_catalog.v3.yml", "/catalog/variants/metafields"],
    ["category", "catalog/categories_catalog.v3.yml", "/catalog/categories/metafields"],
    ["brand", "catalog/brands_catalog.v3.yml", "/catalog/brands/metafields"],
    ["order", "orders.v3.yml", "/orders/metafields"],
    ["customer", "customers.v3.yml", "/customers/metafields"],
  ] as const).map(([owner, file, specPath]): Case => ({
    name: `v3 ${owner} metafields`, file, specPath, requests: () => [`/v3${specPath}?limit=250`, `/v3${specPath}?date_modified:min=2024-06-01T00:00:00Z`],
  })),
  {
    name: "v3 products with options, modifiers, bulk pricing rules, videos, primary image and channels", file: "catalog/products_catalog.v3.yml",
    specPath: "/catalog/products",
    requests: () => [
      "/v3/catalog/products?include=options,modifiers&include_fields=id&limit=10", "/v3/catalog/products?include=options,modifiers&page=3&limit=10",
      "/v3/catalog/products?include=bulk_pricing_rules,videos,primary_image,channels,images,custom_fields&limit=250",
    ],
  },
  {
    name: "v3 product reviews", file: "catalog/products_catalog.v3.yml", specPath: "/catalog/products/{product_id}/reviews",
    requests: (emu) => emu.store.products.slice(0, 12).map((p) => `/v3/catalog/products/${p.id}/reviews`),
  },
];

let cursor = "";
const firstCursor = (_emu: Emulator) => cursor;

describe.skipIf(!HAS_SHARED)("responses match BigCommerce's OpenAPI schemas", () => {
  let emu: Emulator;
  const ajv = makeAjv();
  const specs = new Map<string, Spec>();
  const spec = (file: string) => {
    if (!specs.has(file)) specs.set(file, new Spec(REFERENCE, file));
    return specs.get(file)!;
  };

  beforeAll(async () => {
    emu = await start({ seed: 11 });
    const first = await get(emu, "/v3/customers?limit=50&sort=date_modified:asc");
    cursor = encodeURIComponent(first.json.meta.cursor_pagination.end_cursor);
  });
  afterAll(() => emu?.close());

  for (const c of CASES) {
    it(c.name, async () => {
      const schema = spec(c.file).responseSchema(c.specPath);
      c.patch?.(schema);
      const validate = ajv.compile(schema);
      const requests = c.requests(emu);
      expect(requests.length).toBeGreaterThan(0);
      let validated = 0;
      for (const path of requests) {
        const r = await get(emu, path);
        expect(r.status, `${path}: ${r.text.slice(0, 200)}`).toBe(200);
        const ok = validate(r.json);
        const errors = (validate.errors ?? []).slice(0, 8).map((e: { instancePath: string; message?: string; params: unknown }) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
        expect(ok, `${path}\n${errors.join("\n")}`).toBe(true);
        validated++;
      }
      expect(validated).toBe(requests.length);
    });
  }

  it("the schema check is not vacuous: a wrong type is rejected", async () => {
    const validate = ajv.compile(spec("orders.v2.oas2.yml").responseSchema("/orders"));
    const r = await get(emu, "/v2/orders?limit=3");
    expect(validate(r.json)).toBe(true);
    const broken = structuredClone(r.json);
    broken[1].date_created = 1700000000;
    broken[2].is_deleted = "no";
    expect(validate(broken)).toBe(false);
    const line = structuredClone((await get(emu, `/v2/orders/${emu.store.orders[0]!.id}/products`)).json);
    line[0].not_in_the_spec = 1; // orderProducts has additionalProperties: false
    expect(ajv.compile(spec("orders.v2.oas2.yml").responseSchema("/orders/{order_id}/products"))(line)).toBe(false);
    const products = (await get(emu, "/v3/catalog/products?limit=2")).json;
    const validateProducts = ajv.compile(spec("catalog/products_catalog.v3.yml").responseSchema("/catalog/products"));
    expect(validateProducts(products)).toBe(true);
    products.data[0].price = "12.00";
    expect(validateProducts(products)).toBe(false);
    const customers = (await get(emu, "/v3/customers?limit=2")).json;
    const validateCustomers = ajv.compile(spec("customers.v3.yml").responseSchema("/customers"));
    expect(validateCustomers(customers)).toBe(true);
    customers.data[0].date_modified = "Tue, 20 Nov 2012 00:00:00 +0000"; // v2 style: not an ISO date-time
    expect(validateCustomers(customers)).toBe(false);
  });
});
