/**
 * The stream schemas (streams/schemas/*.ts): complete for the registry, valid JSON Schema,
 * facts only, and — when BigCommerce's specs sit beside the repository — up to date with
 * what scripts/derive-schemas.ts derives from them.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Ajv } from "ajv";
import * as ajvFormats from "ajv-formats";
import { parse } from "yaml";
import { registry } from "../streams/index.ts";
import type { JsonSchema, StreamDefinition } from "../src/engine/types.ts";
import { DEFAULT_SPEC_DIR, deriveSchemas, renderSchema, SCHEMA_DIR, SOURCES } from "../scripts/derive-schemas.ts";

/** The keywords a derived schema may use; anything else (descriptions, examples, enums…) is prose or noise. */
const ALLOWED_KEYWORDS = new Set(["type", "format", "x-bc-format", "properties", "items"]);
const JSON_TYPES = new Set(["object", "array", "string", "number", "integer", "boolean", "null"]);

const addFormats = ((ajvFormats as unknown as { default?: unknown }).default ?? ajvFormats) as (ajv: Ajv) => Ajv;

function newAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat("decimal", /^-?\d+(?:\.\d+)?$/);
  ajv.addKeyword({ keyword: "x-bc-format", schemaType: "string" });
  return ajv;
}

/** Every schema node with its path, `properties` names excluded (a property may be called `description`). */
function* nodes(schema: JsonSchema, path = "$"): Generator<[string, JsonSchema]> {
  yield [path, schema];
  for (const [key, value] of Object.entries(schema.properties ?? {})) yield* nodes(value, `${path}.${key}`);
  if (schema.items) yield* nodes(schema.items, `${path}[]`);
}

function types(schema: JsonSchema): string[] {
  return schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
}

/** Columns a stream's rows must carry: primary key, child keys, the cursor. */
function keyColumns(stream: StreamDefinition): string[] {
  return [
    ...stream.primaryKey,
    ...Object.keys(stream.parent ? stream.parent.keys : stream.rowsAt?.keys ?? {}),
    ...(stream.cursor ? [stream.cursor.field] : []),
  ];
}

describe("stream schemas", () => {
  it("cover exactly the registry, with the derivation sources in step with it", () => {
    expect(SOURCES.map((s) => s.stream).sort()).toEqual(registry.map((s) => s.name).sort());
    for (const stream of registry) {
      const source = SOURCES.find((s) => s.stream === stream.name)!;
      expect(source.parent, stream.name).toEqual(
        stream.parent && { stream: stream.parent.stream, keys: stream.parent.keys },
      );
      expect(source.itemKeys, stream.name).toEqual(stream.rowsAt?.keys);
      // Columns the sync adds (an inline source's tag and position) are in the schema.
      const inline = stream.parent?.source.kind === "inline" ? stream.parent.source : undefined;
      const added = {
        ...(inline?.tag ? { [inline.tag.column]: "string" } : {}),
        ...(inline?.indexColumn ? { [inline.indexColumn]: "integer" } : {}),
      };
      expect(source.added ?? {}, stream.name).toEqual(added);
      // The endpoint the schema comes from is the one the stream reads (placeholders aside).
      // An inline child may take its schema from its fallback endpoint or from a sub-resource of its
      // parent's records (order_shipping_addresses: the consignments' addresses, fallback shipping_addresses).
      const norm = (path: string) => path.replace(/\{\w+\}/g, "{}");
      const read = stream.path ?? (stream.parent?.source.kind === "subresource" ? stream.parent.source.path : undefined);
      if (read) expect(norm(source.path), stream.name).toBe(norm(`/${read}`));
      if (inline?.fallback) {
        const parentPath = registry.find((s) => s.name === stream.parent!.stream)?.path;
        const fromParent = parentPath !== undefined && norm(source.path).startsWith(`/${parentPath}/{}/`);
        expect(fromParent || norm(source.path) === norm(`/${inline.fallback.path}`), `${stream.name}: ${source.path}`).toBe(true);
      }
    }
  });

  it.each(registry.map((s) => [s.name, s] as const))("%s: an object with its key columns", (_name, stream) => {
    expect(stream.schema.type).toBe("object");
    expect(Object.keys(stream.schema.properties ?? {}).length).toBeGreaterThan(0);
    for (const column of keyColumns(stream)) expect(stream.schema.properties, column).toHaveProperty([column]);
  });

  it.each(registry.map((s) => [s.name, s] as const))("%s: facts only, every property nullable", (_name, stream) => {
    for (const [path, node] of nodes(stream.schema)) {
      for (const key of Object.keys(node)) expect(ALLOWED_KEYWORDS.has(key), `${path}: ${key}`).toBe(true);
      expect(node, path).not.toHaveProperty("description");
      expect(node, path).not.toHaveProperty("example");
      for (const t of types(node)) expect(JSON_TYPES.has(t), `${path}: ${t}`).toBe(true);
      if (path !== "$" && types(node).length > 0) expect(types(node), path).toContain("null");
      if (node["x-bc-format"] !== undefined) expect(node.format, path).toBe("date-time");
      if (node.format === "decimal") expect(types(node), path).toContain("string");
    }
  });

  it.each(registry.map((s) => [s.name, s] as const))("%s: valid JSON Schema", (_name, stream) => {
    const validate = newAjv().compile(stream.schema);
    const allNull = Object.fromEntries(Object.keys(stream.schema.properties ?? {}).map((k) => [k, null]));
    expect(validate(allNull), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({})).toBe(true);
  });

  it("mark v2 timestamps and money the way v2 writes them", () => {
    const props = (name: string) => registry.find((s) => s.name === name)!.schema.properties!;
    expect(props("orders").date_modified).toEqual({
      type: ["string", "null"],
      format: "date-time",
      "x-bc-format": "rfc2822",
    });
    expect(props("orders").total_inc_tax).toEqual({ type: ["string", "null"], format: "decimal" });
    expect(props("order_products").base_price).toEqual({ type: ["string", "null"], format: "decimal" });
    // Exchange rates carry ten decimals: plain strings, nothing lost.
    expect(props("orders").currency_exchange_rate).toEqual({ type: ["string", "null"] });
    expect(props("customers").date_modified).toEqual({ type: ["string", "null"], format: "date-time" });
    // (`format: date-time` stands for the column type; a validator checking RFC 3339 would
    // have to read `x-bc-format` to accept v2's RFC 2822 values.)
    const validate = newAjv().compile(registry.find((s) => s.name === "orders")!.schema);
    expect(validate({ id: 1, total_inc_tax: "361.9500" })).toBe(true);
    expect(validate({ id: 1, total_inc_tax: "about 3" })).toBe(false);
  });
});

describe.skipIf(!existsSync(DEFAULT_SPEC_DIR))("stream schemas against BigCommerce's specs", () => {
  const derived = existsSync(DEFAULT_SPEC_DIR) ? deriveSchemas(DEFAULT_SPEC_DIR) : new Map<string, JsonSchema>();

  it.each(SOURCES.map((s) => [s.stream] as const))("%s: the committed file is up to date", (stream) => {
    const schema = derived.get(stream)!;
    const file = readFileSync(join(SCHEMA_DIR, `${stream}.ts`), "utf8");
    expect(file, "regenerate: npx deno run -A scripts/derive-schemas.ts").toBe(
      renderSchema(stream, schema, DEFAULT_SPEC_DIR),
    );
    expect(registry.find((s) => s.name === stream)!.schema).toEqual(schema);
  });

  it("the registry's query parameters are documented for its endpoints", () => {
    // Each spec file parsed once (several streams read one file; parsing is most of this test's time).
    const docs = new Map<string, any>();
    const documented = (file: string, path: string): Set<string> => {
      if (!docs.has(file)) docs.set(file, parse(readFileSync(join(DEFAULT_SPEC_DIR, file), "utf8")));
      const doc = docs.get(file);
      const resolve = (p: { $ref?: string; name?: string }) =>
        p.$ref ? p.$ref.slice(2).split("/").reduce((o: any, k: string) => o[k], doc) : p;
      const item = doc.paths[path];
      return new Set([...(item.parameters ?? []), ...(item.get.parameters ?? [])].map((p) => resolve(p).name));
    };
    const problems: string[] = [];
    const check = (stream: string, file: string, path: string, names: string[]) => {
      const params = documented(file, path);
      for (const name of names) if (!params.has(name)) problems.push(`${stream}: ${name} not documented for ${path}`);
    };
    for (const stream of registry) {
      const source = SOURCES.find((s) => s.stream === stream.name)!;
      const names = [
        ...(stream.cursor ? [stream.cursor.filter, stream.cursor.upperFilter ?? []].flat() : []),
        ...Object.keys(stream.cursor?.sort ?? {}),
        ...(stream.channelFilter ? [stream.channelFilter] : []),
        ...Object.keys(stream.params ?? {}),
        ...Object.keys(stream.idsOnlyParams ?? {}),
      ];
      // A child read per parent asks its own endpoint; one read inline asks the parent's.
      const own = stream.parent?.source.kind === "inline" ? [] : names;
      check(stream.name, source.file, source.path, own);
      if (stream.parent?.parentParams) {
        const parent = SOURCES.find((s) => s.stream === stream.parent!.stream)!;
        check(stream.name, parent.file, parent.path, Object.keys(stream.parent.parentParams));
      }
    }
    expect(problems).toEqual([]);
  });
});
