import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { streamsMarkdown } from "../src/docs/streams-doc.ts";
import { withColumnTypes } from "../src/docs/column-types-doc.ts";
import { registry } from "../streams/index.ts";

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

describe("docs/duckdb.md", () => {
  it("shows the current column types and override table (regenerate with `npm run docs`)", () => {
    const committed = readFileSync(new URL("../docs/duckdb.md", import.meta.url), "utf8");
    expect(committed).toBe(withColumnTypes(committed));
    expect(committed).toContain("| `orders.payment_provider_id` | `VARCHAR` |");
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
