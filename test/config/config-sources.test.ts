/**
 * Config the way Meltano passes it, through the real command line: `--config` repeated (later
 * files win) and TAP_BIGCOMMERCE_<SETTING> environment variables (which win over files).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../src/emulator/index.ts";
import { parseSinger, recordsByStream, runCli, tempDir, writeFile } from "../support/cli.ts";
import { emulatorSettings, selectStreams } from "../support/singer.ts";

/** Discovery begins with the store identity check: a tiny emulator store answers it. */
const store = await startEmulator({ rateLimit: false, storeHash: "abc123", accessToken: "token-config-sources", sizes: { orders: 0, customers: 0, products: 0 } });
afterAll(() => store.close());
/** Valid settings for that store. */
const BASE = { store_hash: "abc123", access_token: "token-config-sources", start_date: "2024-01-01T00:00:00Z", api_url: store.url, max_retries: 0 };

/** The tap_stream_ids of a discovery run. */
async function discovered(args: string[], env?: Record<string, string>): Promise<string[]> {
  const result = await runCli([...args, "--discover"], { env });
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { streams: { tap_stream_id: string }[] }).streams.map((s) => s.tap_stream_id);
}

describe("repeated --config", () => {
  const dir = tempDir("config-sources-");
  const nested = writeFile(dir, "nested.json", { ...BASE, max_nesting_depth: 3 });
  const flat = writeFile(dir, "flat.json", { max_nesting_depth: 0 });

  it("merges files, the later one winning", async () => {
    const deep = await discovered(["--config", flat, "--config", nested]);
    const shallow = await discovered(["--config", nested, "--config", flat]);
    expect(deep).toContain("order_products_applied_discounts"); // split from a nested array at depth 3
    expect(shallow).not.toContain("order_products_applied_discounts"); // depth 0: arrays stay JSON columns
    expect(shallow).toContain("orders"); // settings of the first file still apply
  });

  it("reads required settings from any of the files", async () => {
    const { access_token, ...rest } = BASE;
    const a = writeFile(dir, "a.json", rest);
    const b = writeFile(dir, "b.json", { access_token });
    expect(await discovered(["--config", a, "--config", b])).toContain("orders");
  });

  it("a later file's valid value replaces an earlier bad one, and the other way round fails naming the file", async () => {
    const bad = writeFile(dir, "bad.json", { ...BASE, page_size: 0 });
    const good = writeFile(dir, "good.json", { page_size: 100 });
    expect(await discovered(["--config", bad, "--config", good])).toContain("orders");
    const result = await runCli(["--config", good, "--config", bad, "--discover"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`setting 'page_size' (from config file ${bad}) must be at least 1`);
  });

  it("accepts the keys Meltano adds for its own mappers", async () => {
    const withHostKeys = writeFile(dir, "host.json", { ...BASE, stream_maps: {}, stream_map_config: {}, flattening_enabled: false, flattening_max_depth: 1 });
    expect(await discovered(["--config", withHostKeys])).toContain("orders");
  });
});

describe("TAP_BIGCOMMERCE_<SETTING> environment variables", () => {
  const dir = tempDir("config-env-");
  const nested = writeFile(dir, "nested.json", { ...BASE, max_nesting_depth: 3 });

  it("win over every config file", async () => {
    expect(await discovered(["--config", nested], { TAP_BIGCOMMERCE_MAX_NESTING_DEPTH: "0" })).not.toContain("order_products_applied_discounts");
    expect(await discovered(["--config", nested], { TAP_BIGCOMMERCE_MAX_NESTING_DEPTH: "3" })).toContain("order_products_applied_discounts");
  });

  it("supply settings the files lack (the token, as Meltano passes secrets)", async () => {
    const { access_token: _, ...rest } = BASE;
    const noToken = writeFile(dir, "no-token.json", rest);
    expect(await discovered(["--config", noToken], { TAP_BIGCOMMERCE_ACCESS_TOKEN: BASE.access_token })).toContain("orders");
    const missing = await runCli(["--config", noToken, "--discover"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/setting 'access_token' is required/);
  });

  it("are ignored when empty", async () => {
    expect(await discovered(["--config", nested], { TAP_BIGCOMMERCE_MAX_NESTING_DEPTH: "" })).toContain("order_products_applied_discounts");
  });
});

describe("settings reach the API", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ rateLimit: false, sizes: { orders: 0, customers: 0, products: 0, brands: 23 } });
  });
  afterAll(() => emulator.close());

  it("page_size from the environment beats the file's, and sets the list requests' limit", async () => {
    const dir = tempDir("config-api-");
    const config = writeFile(dir, "config.json", emulatorSettings(emulator, { page_size: 250 }));
    const discovery = await runCli(["--config", config, "--discover"]);
    const catalog = writeFile(dir, "catalog.json", selectStreams(JSON.parse(discovery.stdout), (id) => id === "brands"));
    emulator.log.clear();
    const result = await runCli(["--config", config, "--catalog", catalog], { env: { TAP_BIGCOMMERCE_PAGE_SIZE: "5" } });
    expect(result.code, result.stderr).toBe(0);
    expect(recordsByStream(parseSinger(result.stdout)).get("brands")).toHaveLength(23);
    const requests = emulator.log.filter({ endpoint: "GET /v3/catalog/brands" });
    expect(requests).toHaveLength(5);
    expect(requests.every((r) => r.query.limit === "5")).toBe(true);
  });
});
