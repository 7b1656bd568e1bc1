/**
 * Counts in operator output take the noun's singular for 1: a load and a Singer sync of a
 * store with one brand (one record, one list request) say "1 record, 1 request", never
 * "1 records" or "1 requests"; and `counted` itself.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.ts";
import { counted } from "../../src/plural.ts";
import { parseSinger, runCli, tempDir, writeFile } from "../support/cli.ts";
import { emulatorWithConfig } from "../support/emulator.ts";
import { selectStreams } from "../support/singer.ts";

describe("counted", () => {
  it("keeps the noun singular for 1 only, and writes the number as asked", () => {
    expect(counted(1, "request")).toBe("1 request");
    expect(counted(0, "request")).toBe("0 requests");
    expect(counted(2, "child table")).toBe("2 child tables");
    expect(counted(12345, "record", (n) => n.toLocaleString("en-US"))).toBe("12,345 records");
    expect(counted(1, "record", (n) => n.toLocaleString("en-US"))).toBe("1 record");
  });
});

describe("a count of one through the CLI", () => {
  let emulator: Emulator;
  let config: string;
  const dir = tempDir("plural-");
  beforeAll(async () => {
    let raw: Record<string, unknown>;
    ({ emulator, raw } = await emulatorWithConfig({ sizes: { orders: 5, customers: 2, products: 2, brands: 1 } }));
    config = writeFile(dir, "config.json", raw);
  });
  afterAll(() => emulator.close());

  it("load: the stream's log line and the summary say 1 record, 1 request, 1 row in 1 table", async () => {
    emulator.log.clear();
    const result = await runCli(["load", "--config", config, "--duckdb", join(dir, "one.duckdb"), "--streams", "brands"]);
    expect(result.code, result.stderr).toBe(0);
    // One list request for the brand, one for the store identity check.
    expect(emulator.log.filter({ endpoint: "GET /v3/catalog/brands" })).toHaveLength(1);
    expect(result.stderr).toMatch(/INFO load brands: 1 record, 1 request\n/);
    expect(result.stdout).toMatch(/\nbrands +1 record, 1 request\n/);
    expect(result.stdout).toMatch(/\n1 row in 1 table, 2 API requests, /);
    expect(result.stdout + result.stderr).not.toMatch(/\b1 (records|requests|rows|tables)\b/);
  });

  it("Singer: the stream's log line says 1 record, 1 request; the closing line 1 table and every request the run made", async () => {
    const discovery = await runCli(["--config", config, "--discover", "--quiet"]);
    expect(discovery.code, discovery.stderr).toBe(0);
    const catalog = writeFile(dir, "catalog.json", selectStreams(JSON.parse(discovery.stdout), (id) => id === "brands"));
    emulator.log.clear();
    const result = await runCli(["--config", config, "--catalog", catalog]);
    expect(result.code, result.stderr).toBe(0);
    expect(parseSinger(result.stdout).filter((m) => m.type === "RECORD")).toHaveLength(1);
    expect(result.stderr).toMatch(/sync brands: done, 1 record, 1 request\n/);
    // The brands list and the store identity check, as `load` counts them.
    expect(emulator.log.count()).toBe(2);
    expect(result.stderr).toMatch(/INFO done: 1 record in 1 table, 2 API requests\n/);
    expect(result.stderr).not.toMatch(/\b1 (records|requests|rows|tables)\b/);
  });
});
