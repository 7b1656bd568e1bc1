/** `check` through the real CLI: reachability and the token's scope per stream, one cheap request each. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../src/emulator/index.ts";
import { registry } from "../../streams/index.ts";
import { runCli, tempDir, writeFile } from "../support/cli.ts";

describe("check", () => {
  let emulator: Emulator;
  let config: string;
  beforeAll(async () => {
    emulator = await startEmulator({ rateLimit: false, sizes: { orders: 30 }, scopes: ["store_v2_orders_read_only", "store_v2_products_read_only"] });
    config = writeFile(tempDir(), "config.json", {
      store_hash: emulator.storeHash,
      access_token: emulator.accessToken,
      start_date: "2024-01-01T00:00:00Z",
      api_url: emulator.url,
    });
  });
  afterAll(() => emulator.close());

  it("lists every stream as ok or missing a named scope, with one request per list endpoint", async () => {
    emulator.log.clear();
    const result = await runCli(["check", "--config", config, "--format", "json"]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { streams: { stream: string; scope: string; status: string }[]; requests: number };
    const status = Object.fromEntries(report.streams.map((s) => [s.stream, s.status]));
    expect(Object.keys(status).sort()).toEqual(registry.map((s) => s.name).sort());
    expect(status.orders).toBe("ok");
    expect(status.order_products).toBe("ok");
    expect(status.products).toBe("ok");
    expect(status.customers).toBe("missing scope");
    expect(status.transactions).toBe("missing scope");
    // One request per list endpoint, plus one per sub-resource child whose parent answered (asked for with its first record).
    const subresources = registry.filter((s) => s.parent?.source.kind === "subresource" && status[s.parent.stream] === "ok").length;
    expect(emulator.log.count()).toBe(registry.filter((s) => s.path).length + subresources);
    const text = await runCli(["check", "--config", config]);
    expect(text.stdout).toMatch(/customers\s+missing scope — add the OAuth scope store_v2_customers_read_only/);
    expect(text.stdout + text.stderr).not.toContain(emulator.accessToken);
  });

  it("fails with exit 2 (bad configuration) and a clear message when the token is rejected", async () => {
    const bad = writeFile(tempDir(), "bad.json", {
      store_hash: emulator.storeHash,
      access_token: "not-the-token",
      start_date: "2024-01-01T00:00:00Z",
      api_url: emulator.url,
    });
    const result = await runCli(["check", "--config", bad]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("rejected the access token (v2/store: the access token was rejected (401");
    expect(result.stderr).not.toContain("not-the-token");
  });
});
