/**
 * Loads BigCommerce's OpenAPI descriptions (from the shared reference) and turns a response
 * schema into plain JSON Schema for ajv:
 * - `$ref`s to `components/schemas` stay references, into the returned schema's `definitions` (each
 *   converted once): ajv then compiles each component once, and a recursive one is checked at every
 *   depth (inlining them all made the promotions schema 750 KB and took ajv tens of seconds to
 *   compile); other `$ref`s (responses, parameters) are inlined;
 * - OpenAPI 3.0's boolean `exclusiveMaximum`/`exclusiveMinimum` become draft-07 numbers;
 * - `nullable: true` becomes a type union with "null" (and `null` joins an `enum`);
 * - `oneOf` becomes `anyOf`: the specs use `oneOf` for branches that overlap (a `{url, resource}`
 *   link object with no required keys also matches a full line item; two array shapes both match
 *   `[]`), so `oneOf` would reject every valid response;
 * - `example`, `examples`, `x-*`, `discriminator`, `xml`, `externalDocs`, `readOnly`, `writeOnly`,
 *   `deprecated` are dropped.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse } from "yaml";

type Json = any;

/** Where the specs keep their reusable schemas. */
const COMPONENT = "#/components/schemas/";

/** The `definitions` key of a component's `$ref`. */
function definitionName(ref: string): string {
  return ref.slice(COMPONENT.length);
}

const DROP = new Set(["example", "examples", "discriminator", "xml", "externalDocs", "readOnly", "writeOnly", "deprecated"]);

/** One parsed spec file. */
export class Spec {
  readonly doc: Json;

  /** The components met while converting the current schema, converted, by definition name. */
  private definitions: Record<string, Json> = {};

  constructor(referenceDir: string, file: string) {
    this.doc = parse(readFileSync(resolve(referenceDir, file), "utf8"));
  }

  /** A reference to the converted component `ref` (converted once into `definitions`). */
  private reference(ref: string): Json {
    const name = definitionName(ref);
    if (!(name in this.definitions)) {
      this.definitions[name] = {};
      this.definitions[name] = this.convert(this.pointer(ref));
    }
    return { $ref: `#/definitions/${encodeURIComponent(name)}` };
  }

  private pointer(ref: string): Json {
    if (!ref.startsWith("#/")) throw new Error(`external $ref not supported: ${ref}`);
    let node = this.doc;
    for (const part of ref.slice(2).split("/")) node = node?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
    if (node === undefined) throw new Error(`unresolved $ref ${ref}`);
    return node;
  }

  /** Converts the OpenAPI dialect to JSON Schema: components become references into `definitions`, other `$ref`s are inlined. */
  convert(node: Json): Json {
    if (Array.isArray(node)) return node.map((n) => this.convert(n));
    if (!node || typeof node !== "object") return node;
    if (typeof node.$ref === "string") {
      return node.$ref.startsWith(COMPONENT) ? this.reference(node.$ref) : this.convert(this.pointer(node.$ref));
    }
    const out: Json = {};
    for (const [key, value] of Object.entries(node)) {
      if (DROP.has(key) || key.startsWith("x-") || key === "nullable") continue;
      if (key === "properties" && value && typeof value === "object") {
        out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.convert(v)]));
      } else if (key === "oneOf") {
        out.anyOf = this.convert(value);
      } else {
        out[key] = this.convert(value);
      }
    }
    for (const [exclusive, bound] of [["exclusiveMaximum", "maximum"], ["exclusiveMinimum", "minimum"]] as const) {
      if (typeof out[exclusive] !== "boolean") continue;
      if (out[exclusive] && out[bound] !== undefined) {
        out[exclusive] = out[bound];
        delete out[bound];
      } else delete out[exclusive];
    }
    if (node.nullable === true) {
      if (typeof out.type === "string") {
        out.type = [out.type, "null"];
        if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
        return out;
      }
      return { anyOf: [out, { type: "null" }] };
    }
    return out;
  }

  /**
   * The JSON Schema of a GET response of `path` (as written in the spec) for `status`, with the
   * components it uses in `definitions` (a response that is a component is that component's schema).
   */
  responseSchema(path: string, status = "200"): Json {
    const op = this.doc.paths?.[path]?.get;
    if (!op) throw new Error(`no GET ${path} in spec`);
    this.definitions = {};
    const response = this.convert(op.responses?.[status]);
    const content = response?.content?.["application/json"] ?? Object.values(response?.content ?? {})[0];
    if (!content?.schema) throw new Error(`no ${status} JSON schema for GET ${path}`);
    const root = content.schema.$ref === undefined ? content.schema : { ...this.definitions[decodeURIComponent(content.schema.$ref.slice("#/definitions/".length))] };
    return { ...root, definitions: this.definitions };
  }

  /** Names of the query parameters of GET `path`. */
  queryParams(path: string): string[] {
    const item = this.doc.paths?.[path];
    const all = [...(item?.parameters ?? []), ...(item?.get?.parameters ?? [])].map((p: Json) => this.convert(p));
    return all.filter((p: Json) => p.in === "query").map((p: Json) => p.name);
  }
}
