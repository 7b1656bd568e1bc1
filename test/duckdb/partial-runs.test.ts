/**
 * Partial runs say so, through the real CLI: a stream the user named (--streams, a catalog's
 * `selected`) that the token lacks the OAuth scope for makes the run exit 1 after the other
 * streams are committed (`_loads.status = partial`, stream and scope named); a stream selected
 * only by default is skipped with a warning (exit 0); `skip_streams_without_scope` extends
 * that to named streams. Singer mode too.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALL_SCOPES, type Emulator } from "../../src/emulator/index.ts";
import { parseSinger, recordsByStream, runCli, tempDir, writeFile } from "../support/cli.ts";
import { emulatorWithConfig } from "../support/emulator.ts";
import { type Catalog, selectStreams } from "../support/singer.ts";
import { query } from "./fixtures.ts";

const CUSTOMERS_SCOPE = "store_v2_customers_read_only";
let emulator: Emulator;
let dir: string;
let raw: Record<string, unknown>;
let config: string;

beforeAll(async () => {
  ({ emulator, raw } = await emulatorWithConfig({
    sizes: { orders: 10, customers: 5, products: 4, brands: 2, categories: 2, coupons: 1, giftCertificates: 1, promotions: 1, pages: 1, priceLists: 1 },
    scopes: ALL_SCOPES.filter((s) => s !== CUSTOMERS_SCOPE),
  }));
  dir = tempDir("tap-bc-partial-");
  config = writeFile(dir, "config.json", raw);
});
afterAll(() => emulator?.close());

const loads = (db: string) => query(db, "select status, error, cast(streams as varchar) as streams from bigcommerce._loads order by started_at");

describe("a named stream without its scope", () => {
  it("load --streams: exit 1 after the other streams are committed, _loads partial naming stream and scope", async () => {
    const db = join(dir, "named.duckdb");
    const result = await runCli(["load", "--config", config, "--duckdb", db, "--streams", "orders,customers"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/partial load: stream 'customers' skipped: the access token lacks the OAuth scope 'store_v2_customers_read_only'/);
    expect(await query(db, "select count(*)::int as n from bigcommerce.orders")).toEqual([{ n: 10 }]);
    const [load] = await loads(db);
    expect(load.status).toBe("partial");
    expect(String(load.error)).toContain(CUSTOMERS_SCOPE);
  });

  it("skip_streams_without_scope: true makes it a warning (exit 0)", async () => {
    const db = join(dir, "skipping.duckdb");
    const skipping = writeFile(dir, "skipping.json", { ...raw, skip_streams_without_scope: true });
    const result = await runCli(["load", "--config", skipping, "--duckdb", db, "--streams", "orders,customers"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/warning: stream 'customers' skipped.*store_v2_customers_read_only/);
    const [load] = await loads(db);
    expect(load.status).toBe("success");
    expect(JSON.parse(String(load.streams)).customers).toMatchObject({ status: "skipped", reason: expect.stringContaining(CUSTOMERS_SCOPE) });
  });

  it("Singer, a catalog selecting it: exit 1 after the other streams' records", async () => {
    const discovered = await runCli(["--config", config, "--discover"]);
    expect(discovered.code, discovered.stderr).toBe(0);
    const catalog = writeFile(dir, "catalog.json", selectStreams(JSON.parse(discovered.stdout) as Catalog, (id) => ["orders", "customers"].includes(id)));
    const result = await runCli(["--config", config, "--catalog", catalog]);
    expect(result.code).toBe(1);
    expect(recordsByStream(parseSinger(result.stdout)).get("orders")).toHaveLength(10);
    expect(result.stderr).toMatch(/partial sync: stream 'customers' skipped.*store_v2_customers_read_only/);
  });
});

describe("a stream selected only by default without its scope", () => {
  it("is skipped with a warning, listed in _loads; exit 0", async () => {
    const db = join(dir, "default.duckdb");
    const result = await runCli(["load", "--config", config, "--duckdb", db]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/warning: stream 'customers' skipped.*store_v2_customers_read_only/);
    expect(result.stdout).toMatch(/customers\s+skipped: stream 'customers' skipped/);
    const [load] = await loads(db);
    expect(load.status).toBe("success");
    expect(JSON.parse(String(load.streams)).customers).toMatchObject({ status: "skipped" });
  });
});
