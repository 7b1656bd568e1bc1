import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { streamsMarkdown } from "../src/docs/streams-doc.ts";
import { withColumnTypes } from "../src/docs/column-types-doc.ts";
import { registry } from "../streams/index.ts";
import { discover } from "../src/engine/catalog.ts";
import { findStream } from "../src/engine/registry.ts";
import { validateConfig } from "../src/config/load.ts";
import { STATE_VERSION } from "../src/engine/state.ts";

describe("docs/streams.md", () => {
  it("is up to date with the registry (regenerate with `npm run docs`)", () => {
    const committed = readFileSync(new URL("../docs/streams.md", import.meta.url), "utf8");
    expect(committed).toBe(streamsMarkdown());
  });
  it("names every stream with its request cost", () => {
    const text = streamsMarkdown();
    for (const stream of registry) expect(text).toContain(`| \`${stream.name}\` |`);
    expect(text).toMatch(/order_products.*0 extra requests: inline in the orders pages/);
    expect(text).toMatch(/order_coupons.*1 request per orders record with `coupon_discount` ≠ 0/);
    // Streams that cost a request per order say what that is per 10 000 orders.
    expect(text).toMatch(/order_taxes.*`total_tax` ≠ 0.*up to 10 000 requests per 10 000 orders/);
    expect(text).toMatch(/order_messages.*10 000 requests per 10 000 orders/);
  });
});

/** The public surface's contract, beside the project (absent where the project stands alone). */
const CONTRACT = new URL("../../shared/CONTRACT.md", import.meta.url);

describe("the contract's streams", () => {
  it.skipIf(!existsSync(CONTRACT))("every stream CONTRACT.md names is in the registry, discovered and documented with its cost", () => {
    const contract = readFileSync(CONTRACT, "utf8");
    const section = contract.split("## Streams and tables")[1]!.split("\n## ")[0]!;
    // Stream names are the backticked snake_case words of the section, less the column examples it gives.
    const named = new Set([...section.matchAll(/`([a-z][a-z_]*)`/g)].map((m) => m[1]!));
    for (const column of ["billing_address_city", "id", "order_id"]) named.delete(column);
    expect(named.size).toBeGreaterThanOrEqual(30);
    const discovered = new Set(discover(validateConfig({ store_hash: "abc", access_token: "t", start_date: "2024-01-01T00:00:00Z" })).streams.map((s) => s.tap_stream_id));
    const text = streamsMarkdown();
    for (const name of named) {
      expect(findStream(registry, name), name).toBeDefined();
      expect(discovered.has(name), name).toBe(true);
      expect(text, name).toMatch(new RegExp(`^\\| \`${name}\` \\|[^\\n]*request`, "m"));
    }
  });
});

describe("docs/duckdb.md", () => {
  it("shows the current column types and override table (regenerate with `npm run docs`)", () => {
    const committed = readFileSync(new URL("../docs/duckdb.md", import.meta.url), "utf8");
    expect(committed).toBe(withColumnTypes(committed));
    expect(committed).toContain("| `orders.payment_provider_id` | `VARCHAR` |");
  });
});

describe("the state format in the docs", () => {
  it("docs/duckdb.md and docs/hosts.md show the state version the tap writes", () => {
    for (const doc of ["duckdb.md", "hosts.md"]) {
      const text = readFileSync(new URL(`../docs/${doc}`, import.meta.url), "utf8");
      const shown = [...text.matchAll(/"version": (\d+)/g)].map((m) => Number(m[1]));
      expect(shown.length, doc).toBeGreaterThan(0);
      expect(shown, doc).toEqual(shown.map(() => STATE_VERSION));
    }
  });
});

describe("README.md", () => {
  it("has a quick start of exactly two commands: the demo and the whole test suite", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const section = readme.split("## Quick start")[1]?.split("\n## ")[0] ?? "";
    const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
    const commands = block.split("\n").map((line) => line.replace(/#.*$/, "").trim()).filter(Boolean);
    expect(commands).toEqual(["npm ci && npx tap-bigcommerce demo", "npm test"]);
    // `npm test` is what .ci/run runs too.
    expect(readFileSync(new URL("../.ci/run", import.meta.url), "utf8")).toMatch(/^npm test$/m);
  });
});
