/**
 * Derives the JSON Schema of every registry stream from BigCommerce's own OpenAPI
 * descriptions (a copy of `bigcommerce/docs` under `../shared/bigcommerce-api/reference/`)
 * and writes them to `streams/schemas/<stream>.ts`.
 *
 *   npx deno run -A scripts/derive-schemas.ts [specDir]
 *
 * Only facts are kept: `type` (every property also accepts `null`), `format`
 * (`date-time`, `date`, and `decimal` for v2 money strings), `properties` and `items`.
 * No descriptions, examples, titles or enums: the project does not copy spec prose.
 *
 * `deriveSchemas()` uses node:fs only, so the tests (vitest on Node) can regenerate the
 * schemas in memory and compare them with the committed files.
 */
import { parse } from "yaml";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, posix, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { JsonSchema } from "../src/engine/types.ts";

/** Nesting levels of objects/arrays kept below a row; deeper values keep only their type. */
export const MAX_DEPTH = 6;

/** Where one stream's record lives in the specs. */
export interface StreamSource {
  stream: string;
  /** Spec file, relative to the spec directory. */
  file: string;
  /** OpenAPI path of the GET operation. */
  path: string;
  /** Where the record sits in the 200 response: array item, `data[]` item of the v3 envelope, or the object itself. */
  envelope: "array" | "data" | "object";
  /**
   * Further navigation from that record to the row, e.g. `shipping[]` or `locations[]`; several
   * paths (every consignment kind) give the union of their rows' properties.
   */
  select?: string | string[];
  /** Properties of the row left out (they belong to another table). */
  omit?: string[];
  /** Child stream: parent stream and child column ← parent field (as in the registry's `parent.keys`). */
  parent?: { stream: string; keys: Record<string, string> };
  /** Row column ← field of the API item the row was selected from (as in the registry's `rowsAt.keys`). */
  itemKeys?: Record<string, string>;
  /** Columns the sync adds to every row, not from the API (as the registry's inline `tag` and `indexColumn`). */
  added?: Record<string, "string" | "integer">;
}

const ORDERS_V2 = "orders.v2.oas2.yml";
const PRODUCTS = "catalog/products_catalog.v3.yml";

/** Every registry stream and the GET endpoint its records come from. Parents before children. */
export const SOURCES: readonly StreamSource[] = [
  { stream: "orders", file: ORDERS_V2, path: "/orders", envelope: "array" },
  {
    stream: "order_products",
    file: ORDERS_V2,
    path: "/orders/{order_id}/products",
    envelope: "array",
    parent: { stream: "orders", keys: { order_id: "id" } },
  },
  {
    stream: "order_shipping_addresses",
    file: ORDERS_V2,
    path: "/orders/{order_id}/consignments",
    envelope: "object",
    select: "shipping[]",
    omit: ["line_items"],
    parent: { stream: "orders", keys: { order_id: "id" } },
  },
  {
    stream: "order_coupons",
    file: ORDERS_V2,
    path: "/orders/{order_id}/coupons",
    envelope: "array",
    parent: { stream: "orders", keys: { order_id: "id" } },
  },
  {
    stream: "transactions",
    file: "orders.v3.yml",
    path: "/orders/{order_id}/transactions",
    envelope: "data",
    parent: { stream: "orders", keys: { order_id: "id" } },
  },
  { stream: "refunds", file: "orders.v3.yml", path: "/orders/payment_actions/refunds", envelope: "data" },
  {
    stream: "order_fees",
    file: ORDERS_V2,
    path: "/orders",
    envelope: "array",
    select: "fees[]",
    parent: { stream: "orders", keys: { order_id: "id" } },
  },
  {
    stream: "order_consignments",
    file: ORDERS_V2,
    path: "/orders/{order_id}/consignments",
    envelope: "object",
    select: ["shipping[]", "pickups[]", "downloads[]", "email.gift_certificates[]"],
    omit: ["line_items"],
    added: { kind: "string", index: "integer" },
    parent: { stream: "orders", keys: { order_id: "id" } },
  },
  {
    stream: "order_shipments",
    file: ORDERS_V2,
    path: "/orders/{order_id}/shipments",
    envelope: "array",
    parent: { stream: "orders", keys: { order_id: "id" } },
  },
  {
    stream: "order_taxes",
    file: ORDERS_V2,
    path: "/orders/{order_id}/taxes",
    envelope: "array",
    parent: { stream: "orders", keys: { order_id: "id" } },
  },
  {
    stream: "order_messages",
    file: ORDERS_V2,
    path: "/orders/{order_id}/messages",
    envelope: "array",
    parent: { stream: "orders", keys: { order_id: "id" } },
  },
  { stream: "order_metafields", file: "orders.v3.yml", path: "/orders/metafields", envelope: "data" },
  { stream: "order_statuses", file: ORDERS_V2, path: "/order_statuses", envelope: "array" },

  { stream: "customers", file: "customers.v3.yml", path: "/customers", envelope: "data" },
  { stream: "customer_addresses", file: "customers.v3.yml", path: "/customers/addresses", envelope: "data" },
  { stream: "customer_groups", file: "customers.v2.yml", path: "/customer_groups", envelope: "array" },
  { stream: "subscribers", file: "subscribers.v3.yml", path: "/customers/subscribers", envelope: "data" },
  { stream: "customer_attributes", file: "customers.v3.yml", path: "/customers/attributes", envelope: "data" },
  { stream: "customer_attribute_values", file: "customers.v3.yml", path: "/customers/attribute-values", envelope: "data" },
  { stream: "customer_metafields", file: "customers.v3.yml", path: "/customers/metafields", envelope: "data" },
  { stream: "customer_segments", file: "segments.v3.yml", path: "/segments", envelope: "data" },
  { stream: "products", file: PRODUCTS, path: "/catalog/products", envelope: "data" },
  {
    stream: "product_images",
    file: PRODUCTS,
    path: "/catalog/products/{product_id}/images",
    envelope: "data",
    parent: { stream: "products", keys: { product_id: "id" } },
  },
  {
    stream: "product_custom_fields",
    file: PRODUCTS,
    path: "/catalog/products/{product_id}/custom-fields",
    envelope: "data",
    parent: { stream: "products", keys: { product_id: "id" } },
  },
  {
    stream: "product_bulk_pricing_rules",
    file: PRODUCTS,
    path: "/catalog/products",
    envelope: "data",
    select: "bulk_pricing_rules[]",
    parent: { stream: "products", keys: { product_id: "id" } },
  },
  {
    stream: "product_videos",
    file: PRODUCTS,
    path: "/catalog/products",
    envelope: "data",
    select: "videos[]",
    parent: { stream: "products", keys: { product_id: "id" } },
  },
  {
    stream: "product_reviews",
    file: PRODUCTS,
    path: "/catalog/products/{product_id}/reviews",
    envelope: "data",
    parent: { stream: "products", keys: { product_id: "id" } },
  },
  {
    stream: "product_options",
    file: PRODUCTS,
    path: "/catalog/products",
    envelope: "data",
    select: "options[]",
    itemKeys: { product_id: "id" },
  },
  {
    stream: "product_modifiers",
    file: PRODUCTS,
    path: "/catalog/products",
    envelope: "data",
    select: "modifiers[]",
    parent: { stream: "product_options", keys: { product_id: "id" } },
  },
  { stream: "product_metafields", file: PRODUCTS, path: "/catalog/products/metafields", envelope: "data" },
  {
    stream: "product_variants",
    file: "catalog/product-variants_catalog.v3.yml",
    path: "/catalog/variants",
    envelope: "data",
  },
  { stream: "brands", file: "catalog/brands_catalog.v3.yml", path: "/catalog/brands", envelope: "data" },
  {
    stream: "variant_metafields",
    file: "catalog/product-variants_catalog.v3.yml",
    path: "/catalog/variants/metafields",
    envelope: "data",
  },
  { stream: "brand_metafields", file: "catalog/brands_catalog.v3.yml", path: "/catalog/brands/metafields", envelope: "data" },
  {
    stream: "category_metafields",
    file: "catalog/categories_catalog.v3.yml",
    path: "/catalog/categories/metafields",
    envelope: "data",
  },
  {
    stream: "categories",
    file: "catalog/category-trees_catalog.v3.yml",
    path: "/catalog/trees/categories",
    envelope: "data",
  },
  { stream: "category_trees", file: "catalog/category-trees_catalog.v3.yml", path: "/catalog/trees", envelope: "data" },
  { stream: "price_lists", file: "price_lists.v3.yml", path: "/pricelists", envelope: "data" },
  {
    stream: "price_list_records",
    file: "price_lists.v3.yml",
    path: "/pricelists/{price_list_id}/records",
    envelope: "data",
    parent: { stream: "price_lists", keys: { price_list_id: "id" } },
  },
  {
    stream: "inventory_items",
    file: "inventory.v3.yml",
    path: "/inventory/items",
    envelope: "data",
    select: "locations[]",
    itemKeys: { variant_id: "identity.variant_id", product_id: "identity.product_id", sku: "identity.sku" },
  },
  { stream: "store", file: "store_information.v2.yml", path: "/store", envelope: "object" },
  { stream: "channels", file: "channels.v3.yml", path: "/channels", envelope: "data" },
  { stream: "currencies", file: "currencies.v2.yml", path: "/currencies", envelope: "array" },
  { stream: "pages", file: "pages.v3.yml", path: "/content/pages", envelope: "data" },
  { stream: "coupons", file: "marketing.v2.yml", path: "/coupons", envelope: "array" },
  { stream: "promotions", file: "promotions.v3.yml", path: "/promotions", envelope: "data" },
  { stream: "gift_certificates", file: "marketing.v2.yml", path: "/gift_certificates", envelope: "array" },
  { stream: "shipping_zones", file: "shipping.v2.yml", path: "/shipping/zones", envelope: "array" },
  {
    stream: "shipping_methods",
    file: "shipping.v2.yml",
    path: "/shipping/zones/{zone_id}/methods",
    envelope: "array",
    parent: { stream: "shipping_zones", keys: { zone_id: "id" } },
  },
  { stream: "payment_methods", file: "payments/methods_payments.v2.yml", path: "/payments/methods", envelope: "array" },
];

// ---------------------------------------------------------------------------------------
// Reading the specs

type SpecNode = Record<string, unknown>;

function isObject(x: unknown): x is SpecNode {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** A spec node with the file it lives in and the `$ref`s followed to reach it. */
interface Located {
  node: unknown;
  file: string;
  refs: string[];
}

/** The spec files of one directory, loaded once, with `$ref` resolution (also across files). */
class Specs {
  private readonly docs = new Map<string, unknown>();
  constructor(readonly dir: string) {}

  doc(file: string): unknown {
    let doc = this.docs.get(file);
    if (doc === undefined) {
      doc = parse(readFileSync(join(this.dir, file), "utf8"));
      this.docs.set(file, doc);
    }
    return doc;
  }

  /** Follows `$ref` chains. */
  deref(node: unknown, file: string): Located {
    const refs: string[] = [];
    while (isObject(node) && typeof node.$ref === "string") {
      const [target, pointer = ""] = node.$ref.split("#");
      if (target) file = posix.normalize(posix.join(posix.dirname(file), target));
      const ref = `${file}#${pointer}`;
      if (refs.includes(ref)) throw new Error(`$ref loop at ${ref}`);
      refs.push(ref);
      node = this.pointer(this.doc(file), pointer, file);
    }
    return { node, file, refs };
  }

  private pointer(doc: unknown, pointer: string, file: string): unknown {
    let node = doc;
    for (const raw of pointer.split("/").slice(1)) {
      const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
      const next = isObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined;
      if (next === undefined) throw new Error(`cannot resolve #${pointer} in ${file}`);
      node = next;
    }
    return node;
  }
}

// ---------------------------------------------------------------------------------------
// Reducing a spec schema to facts

/** What a schema is read for: the API version decides how dates and money strings look. */
interface Context {
  specs: Specs;
  api: "v2" | "v3";
}

/** Formats carried over from the specs; the rest (int32, double, uri…) say nothing a column needs. */
const KEPT_FORMATS = new Set(["date-time", "date"]);

/** RFC 2822 timestamp as v2 sends it, e.g. `Tue, 20 Nov 2012 00:00:00 +0000`. */
const RFC2822 = /^(?:[A-Z][a-z]{2}, )?\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}(?::\d{2})? (?:[+-]\d{4}|GMT|UTC)$/;
/** ISO 8601 / RFC 3339 timestamp with a time zone. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;
/** A v2 money string: four decimals, e.g. `361.9500`. */
const FOUR_DECIMALS = /^-?\d+\.\d{4}$/;
/** A number written as a string. */
const NUMERIC = /^-?\d+(?:\.(\d+))?$/;

/**
 * What a node tells beyond its type: examples (its own, and the values at its place in
 * the examples of the objects and responses around it) and its prose. Read to recognise
 * dates and money, never copied.
 */
interface Hints {
  examples: unknown[];
  text: string;
}

/** The example values a schema node gives of its own instances. */
function ownExamples(node: SpecNode): unknown[] {
  const out: unknown[] = [];
  if ("example" in node) out.push(node.example);
  if (Array.isArray(node.examples)) out.push(...node.examples);
  if (isObject(node["x-examples"])) out.push(...Object.values(node["x-examples"]));
  return out;
}

function textOf(node: SpecNode): string {
  return [node.description, node.title].filter((t) => typeof t === "string").join(" ");
}

/** Example values of a property, from example values of the object. */
function propertyExamples(examples: unknown[], key: string): unknown[] {
  return examples.filter(isObject).map((e) => e[key]).filter((v) => v !== undefined);
}

/** Example values of array items, from example values of the array. */
function itemExamples(examples: unknown[]): unknown[] {
  return examples.filter(Array.isArray).flat();
}

/**
 * The schema of a node, reduced to facts.
 *
 * `depth` counts object/array levels below the row; at MAX_DEPTH, and where a schema
 * recurs inside itself (`$ref` cycles), only the type is kept.
 */
function reduce(
  ctx: Context,
  raw: unknown,
  file: string,
  depth: number,
  examples: unknown[],
  stack: readonly string[],
  name?: string,
): JsonSchema {
  const { node, file: at, refs } = ctx.specs.deref(raw, file);
  if (!isObject(node) || node.writeOnly === true) return {};
  const recursive = refs.some((ref) => stack.includes(ref));
  stack = [...stack, ...refs];
  const shallow = recursive || depth >= MAX_DEPTH;
  // Siblings of a `$ref` (description, example) still hint at what the value is.
  const siblings = isObject(raw) && raw !== node ? raw : {};
  examples = [...examples, ...ownExamples(siblings), ...ownExamples(node)];
  let text = `${textOf(siblings)} ${textOf(node)}`;

  // The node's own facts.
  const own: JsonSchema = {};
  const types = typesOf(node);
  if (types.length === 0 && isObject(node.properties)) types.push("object");
  if (types.length === 0 && node.items !== undefined) types.push("array");
  if (types.length > 0) own.type = types.length === 1 ? types[0] : types;
  if (typeof node.format === "string" && KEPT_FORMATS.has(node.format)) own.format = node.format;
  if (!shallow && isObject(node.properties)) {
    own.properties = {};
    for (const [key, value] of Object.entries(node.properties)) {
      if (isWriteOnly(ctx, value, at)) continue; // sent in requests, never in responses
      own.properties[key] = reduce(ctx, value, at, depth + 1, propertyExamples(examples, key), stack, key);
    }
  }
  if (!shallow && node.items !== undefined) {
    own.items = reduce(ctx, node.items, at, depth + 1, itemExamples(examples), stack);
  }
  if (recursive) return own;

  // allOf: every part holds; their facts add up.
  const parts = [own];
  for (const part of Array.isArray(node.allOf) ? node.allOf : []) {
    parts.push(reduce(ctx, part, at, depth, examples, stack, name));
    text += ` ${textOfRef(ctx, part, at)}`;
  }
  let schema = mergeAll(parts);

  // oneOf/anyOf: one of them holds; keep what any of them may bring.
  for (const key of ["oneOf", "anyOf"] as const) {
    const variants = node[key];
    if (!Array.isArray(variants)) continue;
    const reduced = variants.map((variant) => reduce(ctx, variant, at, depth, examples, stack, name));
    schema = mergeAll([schema, mergeAll(dropLinks(reduced))]);
  }

  if (node.nullable === true || siblings.nullable === true) schema = addNull(schema);
  return refine(ctx, schema, { examples, text }, name);
}

function isWriteOnly(ctx: Context, raw: unknown, file: string): boolean {
  const { node } = ctx.specs.deref(raw, file);
  return isObject(node) && node.writeOnly === true;
}

function textOfRef(ctx: Context, raw: unknown, file: string): string {
  const { node } = ctx.specs.deref(raw, file);
  return isObject(node) ? textOf(node) : "";
}

/** Declared types; with none, the type every `enum`/`const` value shares. */
function typesOf(node: SpecNode): string[] {
  const declared = Array.isArray(node.type) ? node.type : node.type === undefined ? [] : [node.type];
  const types = declared.filter((t): t is string => typeof t === "string");
  if (types.length > 0) return types;
  const values = Array.isArray(node.enum) ? node.enum : "const" in node ? [node.const] : [];
  const valueTypes = [...new Set(values.filter((v) => v !== null).map(jsonType))];
  return valueTypes.length === 1 ? valueTypes : [];
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/**
 * A BigCommerce resource link, `{url, resource}`, which an `include=` replaces with the
 * resource itself. When a oneOf offers both, the expanded variant is the one the streams read.
 */
function isLink(schema: JsonSchema): boolean {
  if (schema.items) return isLink(schema.items);
  const keys = Object.keys(schema.properties ?? {});
  return keys.length > 0 && keys.every((k) => k === "url" || k === "resource");
}

function dropLinks(variants: JsonSchema[]): JsonSchema[] {
  const expanded = variants.filter((v) => !isLink(v));
  return expanded.length > 0 ? expanded : variants;
}

/** Union of schemas: types add up, properties merge recursively. */
function mergeAll(schemas: JsonSchema[]): JsonSchema {
  const out: JsonSchema = {};
  const types: string[] = [];
  for (const s of schemas) {
    for (const t of typeList(s)) if (!types.includes(t)) types.push(t);
    if (s.format && !out.format) out.format = s.format;
    if (s["x-bc-format"] && !out["x-bc-format"]) out["x-bc-format"] = s["x-bc-format"];
    if (s.properties) {
      const properties: Record<string, JsonSchema> = out.properties ?? {};
      for (const [key, value] of Object.entries(s.properties)) {
        properties[key] = key in properties ? mergeAll([properties[key], value]) : value;
      }
      out.properties = properties;
    }
    if (s.items) out.items = out.items ? mergeAll([out.items, s.items]) : s.items;
  }
  // (A schema with no type allows anything; in a union it adds no type of its own.)
  if (types.includes("integer") && types.includes("number")) types.splice(types.indexOf("integer"), 1);
  if (types.length > 0) out.type = types.length === 1 ? types[0] : sortTypes(types);
  if (types.length > 0 && !types.includes("string")) {
    delete out.format;
    delete out["x-bc-format"];
  }
  return order(out);
}

function typeList(s: JsonSchema): string[] {
  return s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
}

function sortTypes(types: string[]): string[] {
  return [...types.filter((t) => t !== "null"), ...types.filter((t) => t === "null")];
}

function addNull(s: JsonSchema): JsonSchema {
  const types = typeList(s);
  if (types.length === 0 || types.includes("null")) return s;
  return order({ ...s, type: [...types, "null"] });
}

/** Key order of an emitted schema, so that files diff well. */
function order(s: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const key of ["type", "format", "x-bc-format", "properties", "items"]) if (key in s) out[key] = s[key];
  for (const key of Object.keys(s)) if (!(key in out)) out[key] = s[key];
  return out;
}

/**
 * Dates and money by what the spec says of them. v2 sends timestamps as RFC 2822
 * (`Tue, 20 Nov 2012 00:00:00 +0000`) and money as strings with four decimals
 * (`"361.9500"`), which the v2 specs mostly type as bare strings.
 */
function refine(ctx: Context, s: JsonSchema, hints: Hints, name?: string): JsonSchema {
  if (!typeList(s).includes("string")) return s;
  if (isTimestamp(ctx, s, hints, name)) {
    const out: JsonSchema = { ...s, format: "date-time" };
    if (ctx.api === "v2") out["x-bc-format"] = "rfc2822";
    return order(out);
  }
  if (ctx.api === "v2" && (!s.format || s.format === "decimal") && isMoney(hints)) {
    // Where a v2 spec allows `number | string` for money it describes what requests may
    // send; responses carry the four-decimal string. One decimal column, not a JSON one.
    const types = typeList(s).filter((t) => t === "string" || t === "null" || !["number", "integer"].includes(t));
    return order({ ...s, type: types.length === 1 ? types[0] : types, format: "decimal" });
  }
  return s;
}

function stringExamples(hints: Hints): string[] {
  return hints.examples.filter((e): e is string => typeof e === "string" && e !== "");
}

function isTimestamp(ctx: Context, s: JsonSchema, hints: Hints, name?: string): boolean {
  if (s.format === "date-time") return true;
  if (s.format) return false;
  const examples = stringExamples(hints);
  if (ctx.api === "v2") {
    // v2 writes every timestamp in RFC 2822; the spec says so in prose or shows one.
    if (examples.some((e) => !RFC2822.test(e))) return false;
    return examples.length > 0 || /RFC[- ]?2822/i.test(hints.text);
  }
  // v3 specs mostly say `format: date-time`; a few show an ISO 8601 example instead.
  return examples.length > 0 && examples.every((e) => ISO_DATE_TIME.test(e)) && name !== undefined &&
    /date|time|created|modified|updated|_at$/.test(name);
}

/**
 * A v2 money string: shown with four decimals, or declared as "Float-As-String", and
 * never shown as anything but a number with four decimals (or none): exchange rates,
 * written with ten, are left plain strings so no digit is lost.
 */
function isMoney(hints: Hints): boolean {
  const examples = stringExamples(hints);
  const numeric = examples.map((e) => NUMERIC.exec(e));
  if (numeric.some((m) => m === null || (m[1] !== undefined && m[1].length !== 4))) return false;
  return examples.some((e) => FOUR_DECIMALS.test(e)) || /Float-As-String/i.test(hints.text);
}

/** Every property, item and nested value also accepts `null`: real APIs send it where specs do not say. */
function nullTolerant(s: JsonSchema): JsonSchema {
  const out: JsonSchema = addNull({ ...s });
  if (s.properties) {
    out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, nullTolerant(v)]));
  }
  if (s.items) out.items = nullTolerant(s.items);
  return order(out);
}

// ---------------------------------------------------------------------------------------
// Streams

function apiOf(file: string): "v2" | "v3" {
  return /\.v2\./.test(file) ? "v2" : "v3";
}

/** A raw schema with the example values of its instances. */
interface Found {
  node: unknown;
  file: string;
  examples: unknown[];
}

/** The raw schema of the record of one source: the 200 response of its GET, unwrapped. */
function recordNode(specs: Specs, source: StreamSource): Found {
  const doc = specs.doc(source.file);
  const paths = isObject(doc) && isObject(doc.paths) ? doc.paths : {};
  const item = paths[source.path];
  const get = isObject(item) ? item.get : undefined;
  if (!isObject(get)) throw new Error(`${source.file}: no GET ${source.path}`);
  const responses = isObject(get.responses) ? get.responses : {};
  const response = specs.deref(responses["200"], source.file);
  const content = isObject(response.node) && isObject(response.node.content) ? response.node.content : {};
  const media = content["application/json"] ?? Object.values(content)[0];
  if (!isObject(media) || media.schema === undefined) {
    throw new Error(`${source.file}: GET ${source.path} has no JSON 200 response`);
  }
  const examples: unknown[] = "example" in media ? [media.example] : [];
  for (const example of isObject(media.examples) ? Object.values(media.examples) : []) {
    const { node } = specs.deref(example, response.file);
    if (isObject(node) && "value" in node) examples.push(node.value);
  }
  let found: Found = { ...specs.deref(media.schema, response.file), examples };
  if (source.envelope === "data") found = property(specs, found, "data");
  if (source.envelope !== "object") found = arrayItems(specs, found);
  return found;
}

/** A property of a raw object schema, looking through allOf. */
function property(specs: Specs, found: Found, key: string): Found {
  const { node, file } = specs.deref(found.node, found.file);
  const examples = propertyExamples(found.examples, key);
  if (isObject(node)) {
    if (isObject(node.properties) && key in node.properties) {
      return { ...specs.deref(node.properties[key], file), examples };
    }
    for (const part of Array.isArray(node.allOf) ? node.allOf : []) {
      try {
        return property(specs, { node: part, file, examples: found.examples }, key);
      } catch { /* not in this part */ }
    }
  }
  throw new Error(`${file}: no property ${key}`);
}

function arrayItems(specs: Specs, found: Found): Found {
  const { node, file } = specs.deref(found.node, found.file);
  // A value that is either a resource link or the expanded list (`include=`): the list.
  const variants = isObject(node) ? [node.oneOf, node.anyOf].flatMap((v) => Array.isArray(v) ? v : []) : [];
  const list = variants.map((v) => specs.deref(v, file)).find((v) => isObject(v.node) && v.node.items !== undefined);
  if (list && isObject(node) && node.items === undefined) return arrayItems(specs, { ...found, node: list.node, file: list.file });
  if (!isObject(node) || node.items === undefined) throw new Error(`${file}: expected an array schema, got ${JSON.stringify(node).slice(0, 300)}`);
  return { ...specs.deref(node.items, file), examples: itemExamples(found.examples) };
}

/** The raw schema at a dotted path (`a.b`, `a[]`) below a raw record schema. */
function rawAt(specs: Specs, found: Found, path: string): Found {
  for (const step of path.split(".")) {
    const array = step.endsWith("[]");
    found = property(specs, found, array ? step.slice(0, -2) : step);
    if (array) found = arrayItems(specs, found);
  }
  return found;
}

/** Follows a dotted path (`a.b`, `a[].b`) through a reduced schema. */
function at(schema: JsonSchema, path: string): JsonSchema | undefined {
  let s: JsonSchema | undefined = schema;
  for (const step of path.split(".")) {
    const array = step.endsWith("[]");
    s = s?.properties?.[array ? step.slice(0, -2) : step];
    if (array) s = s?.items;
  }
  return s;
}

/** Reads the spec README's record of where the copy came from, when there is one. */
function origin(specDir: string): string {
  try {
    const readme = readFileSync(join(specDir, "..", "README.md"), "utf8");
    const commit = /commit\s+`([0-9a-f]{40})`/.exec(readme)?.[1];
    return commit ? `bigcommerce/docs@${commit.slice(0, 12)}` : "bigcommerce/docs";
  } catch {
    return "bigcommerce/docs";
  }
}

/** The JSON Schema of every stream, from the specs in `specDir` (the `reference/` directory). */
export function deriveSchemas(specDir: string): Map<string, JsonSchema> {
  const specs = new Specs(specDir);
  const out = new Map<string, JsonSchema>();
  for (const source of SOURCES) {
    const ctx: Context = { specs, api: apiOf(source.file) };
    const found = recordNode(specs, source);
    const item = reduce(ctx, found.node, found.file, 0, found.examples, []);
    // A row below the item (`select`) is derived from there, so that it gets the full depth.
    const selects = source.select === undefined ? [] : [source.select].flat();
    const row = selects.length === 0 ? item : mergeAll(selects.map((select) => {
      const rowFound = rawAt(specs, found, select);
      return reduce(ctx, rowFound.node, rowFound.file, 0, rowFound.examples, []);
    }));
    if (!row.properties) throw new Error(`${source.stream}: the row has no properties`);
    const properties = { ...row.properties };
    for (const key of source.omit ?? []) delete properties[key];
    // Key columns take the type of the field they are copied from.
    for (const [column, field] of Object.entries(source.itemKeys ?? {})) {
      const from = at(item, field);
      if (!from) throw new Error(`${source.stream}: the item has no ${field}`);
      properties[column] = from;
    }
    for (const [column, type] of Object.entries(source.added ?? {})) properties[column] = { type };
    if (source.parent) {
      const parent = out.get(source.parent.stream);
      if (!parent) throw new Error(`${source.stream}: parent ${source.parent.stream} is not derived yet`);
      for (const [column, field] of Object.entries(source.parent.keys)) {
        const from = at(parent, field);
        if (!from) throw new Error(`${source.stream}: the parent has no ${field}`);
        properties[column] = from;
      }
    }
    out.set(source.stream, {
      type: "object",
      properties: Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, nullTolerant(v)])),
    });
  }
  return out;
}

/** The TypeScript module of one stream's schema. */
export function renderSchema(stream: string, schema: JsonSchema, specDir: string): string {
  const source = SOURCES.find((s) => s.stream === stream);
  if (!source) throw new Error(`unknown stream ${stream}`);
  const selects = source.select === undefined ? [] : [source.select].flat();
  const where = [`GET ${source.path}`, envelopeText(source), selects.map((s) => `\`${s}\``).join(" + ")]
    .filter(Boolean).join(", ");
  const keys = [
    ...Object.entries(source.parent?.keys ?? {}).map(([column, field]) =>
      `${column} ← ${source.parent?.stream}.${field}`
    ),
    ...Object.entries(source.itemKeys ?? {}).map(([column, field]) => `${column} ← ${field}`),
    ...Object.keys(source.added ?? {}).map((column) => `${column} (added by the sync)`),
  ];
  return [
    "/**",
    ` * JSON Schema of one \`${stream}\` row. Do not edit: generated by scripts/derive-schemas.ts`,
    ` * from BigCommerce's OpenAPI description (${origin(specDir)}),`,
    ` * reference/${source.file}: ${where}.`,
    ...(source.omit?.length ? [` * Left out: ${source.omit.join(", ")}.`] : []),
    ...(keys.length ? [` * Key columns: ${keys.join(", ")}.`] : []),
    " */",
    'import type { JsonSchema } from "../../src/engine/types.ts";',
    "",
    `export default ${literal(schema, "")} satisfies JsonSchema;`,
    "",
  ].join("\n");
}

/** A value as a TypeScript literal: one line when it fits in 100 columns, else one key per line. */
function literal(value: unknown, indent: string): string {
  const flat = flatLiteral(value);
  if (flat.length + indent.length <= 100 || !isObject(value) && !Array.isArray(value)) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) return `[\n${value.map((v) => `${inner}${literal(v, inner)},\n`).join("")}${indent}]`;
  const entries = Object.entries(value).map(([k, v]) => `${inner}${key(k)}: ${literal(v, inner)},\n`);
  return `{\n${entries.join("")}${indent}}`;
}

function flatLiteral(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flatLiteral).join(", ")}]`;
  if (isObject(value)) {
    const entries = Object.entries(value).map(([k, v]) => `${key(k)}: ${flatLiteral(v)}`);
    return entries.length === 0 ? "{}" : `{ ${entries.join(", ")} }`;
  }
  return JSON.stringify(value);
}

function key(k: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : JSON.stringify(k);
}

function envelopeText(source: StreamSource): string {
  return source.envelope === "data"
    ? "200 `data[]` item"
    : source.envelope === "array"
    ? "200 array item"
    : "200 object";
}

/** The repository root (this file is `scripts/derive-schemas.ts`). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** Where the specs are when the shared reference data sits beside the repository. */
export const DEFAULT_SPEC_DIR = resolve(ROOT, "..", "shared", "bigcommerce-api", "reference");
export const SCHEMA_DIR = join(ROOT, "streams", "schemas");

function main(specDir: string): void {
  if (!existsSync(specDir)) throw new Error(`no specs at ${specDir}`);
  mkdirSync(SCHEMA_DIR, { recursive: true });
  for (const [stream, schema] of deriveSchemas(specDir)) {
    writeFileSync(join(SCHEMA_DIR, `${stream}.ts`), renderSchema(stream, schema, specDir));
  }
  console.log(`wrote ${SOURCES.length} schemas to ${SCHEMA_DIR}`);
}

if ((import.meta as { main?: boolean }).main) {
  const arg = (globalThis as { Deno?: { args: string[] } }).Deno?.args[0] ?? process.argv[2];
  main(arg ? resolve(arg) : DEFAULT_SPEC_DIR);
}
