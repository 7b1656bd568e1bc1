/**
 * Progress and logs through the real command line, stderr a pipe (not a terminal), against a
 * slow emulator with a tight quota: progress lines appear every interval, retries and
 * rate-limit waits are logged, `--log-format json` gives one JSON object per line (Singer
 * stdout stays protocol only), and `--quiet` is quiet.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.ts";
import { parseSinger, runCli, tempDir, writeFile } from "../support/cli.ts";
import { emulatorWithConfig } from "../support/emulator.ts";
import { selectStreams } from "../support/singer.ts";

let emulator: Emulator;
let config: string;
const dir = tempDir("progress-");
const STREAMS = "orders,order_products,products";
/** The second page of orders fails once with a 503. */
const ONE_503 = [{ kind: "status" as const, status: 503, match: "/v2/orders?", skip: 1, times: 1 }];

beforeAll(async () => {
  let raw: Record<string, unknown>;
  // 10 records a page, 15 ms a response, 8 requests per 2 s: a few seconds, with waits for the window.
  ({ emulator, raw } = await emulatorWithConfig(
    { sizes: { orders: 80, customers: 5, products: 100 }, latencyMs: 15, rateLimit: { quota: 8, windowMs: 2000 } },
    { page_size: 10, max_concurrency: 2 },
  ));
  config = writeFile(dir, "config.json", raw);
});
afterAll(() => emulator.close());

const loadStreams = (name: string, streams: string, ...flags: string[]) =>
  runCli(["load", "--config", config, "--duckdb", join(dir, `${name}.duckdb`), "--streams", streams, "--progress-interval", "0.2", ...flags]);
const load = (name: string, ...flags: string[]) => loadStreams(name, STREAMS, ...flags);
/**
 * Products alone: read with orders, its pages arrive ahead of its turn (streams are read at once) and it may be
 * written before a progress line is due; alone, the quota paces its 10 pages over seconds.
 */
const loadProducts = (name: string, ...flags: string[]) => loadStreams(`${name}-products`, "products", ...flags);

describe("progress and logs", () => {
  it("text on a pipe: progress lines with records, pages, rate and requests (and an ETA of a listed total), retries and waits logged", async () => {
    emulator.setFaults(ONE_503);
    const result = await load("text");
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines.every((l) => /^\d{4}-\d\d-\d\dT[\d:.]+Z (INFO|WARN|DEBUG) /.test(l)), result.stderr).toBe(true);
    expect(result.stderr).not.toContain("\r");
    expect(result.stderr).toMatch(/INFO progress orders: \d+ records, \d+ pages, \d+ records\/s; \d+ requests/);
    expect(result.stderr).toMatch(/INFO retry 1\/8 in [\d.]+ s: HTTP 503 \(v2\/orders\)/);
    expect(result.stderr).toMatch(/INFO waiting [\d.]+ s for the rate-limit window/);
    // Child-table chatter: at most one line per child stream, never one per order.
    expect(result.stderr).not.toMatch(/order \{"order_id"/);
    expect(lines.filter((l) => l.includes("had more inline rows")).length).toBeLessThanOrEqual(1);
    // v3 lists say how many records they hold: products get a share and an ETA.
    const products = await loadProducts("text");
    expect(products.code, products.stderr).toBe(0);
    expect(products.stderr).toMatch(/INFO progress products: \d+ records of 100 \(\d+%\), \d+ pages, \d+ records\/s, ETA [\d.]+ s; \d+ requests/);
    expect(result.stderr).not.toContain(emulator.accessToken);
  });

  it("--log-format json: every stderr line one JSON object (progress, retry, wait as events); stdout the summary as usual", async () => {
    emulator.setFaults(ONE_503);
    const result = await load("json", "--log-format", "json");
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stderr.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const line of lines) {
      expect(typeof line.time).toBe("string");
      expect(["debug", "info", "warn", "error"]).toContain(line.level);
      expect(typeof line.message).toBe("string");
    }
    const progress = lines.filter((l) => l.event === "progress");
    expect(progress.length).toBeGreaterThan(0);
    for (const p of progress) {
      expect(typeof p.stream).toBe("string");
      expect(Number.isInteger(p.records) && Number.isInteger(p.pages) && Number.isInteger(p.requests)).toBe(true);
      expect(typeof p.rate).toBe("number");
    }
    expect(lines.find((l) => l.event === "retry")).toMatchObject({ attempt: 1, max_retries: 8, reason: "HTTP 503", path: "v2/orders" });
    expect(lines.some((l) => l.event === "rate-limit-wait" && typeof l.wait_seconds === "number")).toBe(true);
    expect(result.stdout).toMatch(/\d+ rows in \d+ tables, \d+ API requests/);
    const products = await loadProducts("json", "--log-format", "json");
    expect(products.code, products.stderr).toBe(0);
    const productsProgress = products.stderr.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.event === "progress");
    expect(productsProgress.some((p) => p.stream === "products" && p.total === 100 && typeof p.eta_seconds === "number")).toBe(true);
  });

  it("--quiet: nothing on stderr for a clean load, the summary on stdout", async () => {
    emulator.setFaults([]);
    const result = await load("quiet", "--quiet");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/\d+ rows in \d+ tables/);
  });

  it("Singer mode with --log-format json: stdout protocol only, stderr JSON lines with progress", async () => {
    emulator.setFaults([]);
    const discovery = await runCli(["--config", config, "--discover", "--quiet"]);
    expect(discovery.code, discovery.stderr).toBe(0);
    const catalog = writeFile(dir, "catalog.json", selectStreams(JSON.parse(discovery.stdout), (id) => id === "products"));
    const result = await runCli(["--config", config, "--catalog", catalog, "--log-format", "json", "--progress-interval", "0.2"]);
    expect(result.code, result.stderr).toBe(0);
    const messages = parseSinger(result.stdout);
    expect(messages.every((m) => ["SCHEMA", "RECORD", "STATE"].includes(m.type))).toBe(true);
    expect(messages.filter((m) => m.type === "RECORD")).toHaveLength(100);
    const logs = result.stderr.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logs.some((l) => l.event === "progress" && l.stream === "products")).toBe(true);
  });
});
