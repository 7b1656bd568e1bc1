/**
 * SIGINT/SIGTERM through the real command line against a slow emulator: the run stops within
 * seconds with exit 130/143, `load` commits what it read and records the load `interrupted`
 * with counts equal to the rows in the tables, and a rerun ends with exactly the tables of an
 * uninterrupted load; Singer mode ends its output with a STATE that resumes without a gap.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.ts";
import { query } from "../duckdb/fixtures.ts";
import { lastState, parseSinger, recordsByStream, runCli, tempDir, writeFile } from "../support/cli.ts";
import { differences, rowCounts } from "../support/duckdb.ts";
import { emulatorWithConfig } from "../support/emulator.ts";
import { selectStreams } from "../support/singer.ts";

const STREAMS = "orders,order_products,customers";
const ORDERS = 144;
let emulator: Emulator;
let config: string;
const dir = tempDir("interrupt-");

beforeAll(async () => {
  let raw: Record<string, unknown>;
  // 8 orders a page, 20 ms a response: a load takes seconds, so a signal lands mid-way.
  ({ emulator, raw } = await emulatorWithConfig({ sizes: { orders: ORDERS, customers: 30, products: 10 }, latencyMs: 20 }, { page_size: 8 }));
  config = writeFile(dir, "config.json", raw);
});
afterAll(() => emulator.close());

/** Fires once the emulator has answered `n` more order list pages (from now): the run reads at most a few pages ahead of what it commits. */
function afterOrderPages(n: number): () => boolean {
  const pages = () => emulator.log.count({ endpoint: "GET /v2/orders" });
  const before = pages();
  return () => pages() - before >= n;
}

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

describe("interrupting a load", () => {
  let reference: string;
  let full: Record<string, number>;
  beforeAll(async () => {
    reference = join(dir, "reference.duckdb");
    const result = await runCli(["load", "--config", config, "--duckdb", reference, "--streams", STREAMS, "--quiet"]);
    expect(result.code, result.stderr).toBe(0);
    full = await rowCounts(reference);
  });

  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    it(`${signal}: exit ${code} within seconds, _loads 'interrupted' with the committed counts, a rerun completes to the uninterrupted tables`, async () => {
      const db = join(dir, `${signal}.duckdb`);
      const result = await runCli(["load", "--config", config, "--duckdb", db, "--streams", STREAMS], { signal: { name: signal, when: afterOrderPages(7) } });
      expect(result.code, result.stderr).toBe(code);
      expect(result.signalToExitMs).toBeLessThan(5_000);
      const said = /tap-bigcommerce: interrupted: (\d+) rows committed; run again to resume/.exec(result.stderr);
      expect(said, result.stderr).not.toBeNull();
      const committed = Number(said![1]);
      const counts = await rowCounts(db);
      expect(total(counts)).toBe(committed);
      expect(committed).toBeGreaterThan(0);
      expect(committed).toBeLessThan(total(full));
      const loads = await query(db, "select status, rows::int as rows, error from bigcommerce._loads");
      expect(loads).toEqual([{ status: "interrupted", rows: committed, error: `interrupted by ${signal}` }]);
      const [orders] = await query(db, "select streams->>'$.orders.status' as status from bigcommerce._loads");
      expect(orders.status).toBe("interrupted");

      const rerun = await runCli(["load", "--config", config, "--duckdb", db, "--streams", STREAMS, "--quiet"]);
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(await rowCounts(db)).toEqual(full);
      expect(Object.values(await differences(reference, db)).every((n) => n === 0)).toBe(true);
      const statuses = await query(db, "select status from bigcommerce._loads order by started_at");
      expect(statuses.map((r) => r.status)).toEqual(["interrupted", "success"]);
    }, 120_000); // two loads of a slow store
  }
});

describe("interrupting a Singer sync", () => {
  it("SIGTERM: exit 143, whole lines only, the last line a STATE that resumes to every order", async () => {
    const discovery = await runCli(["--config", config, "--discover"]);
    expect(discovery.code, discovery.stderr).toBe(0);
    const catalog = writeFile(dir, "catalog.json", selectStreams(JSON.parse(discovery.stdout), (id) => id === "orders"));
    const first = await runCli(["--config", config, "--catalog", catalog], { signal: { name: "SIGTERM", when: afterOrderPages(5) } });
    expect(first.code, first.stderr).toBe(143);
    expect(first.signalToExitMs).toBeLessThan(5_000);
    expect(first.stdout.endsWith("\n")).toBe(true);
    const messages = parseSinger(first.stdout);
    expect(messages.at(-1)!.type).toBe("STATE");
    const seen = new Set((recordsByStream(messages).get("orders") ?? []).map((r) => r.id));
    expect(seen.size).toBeGreaterThan(0);
    expect(seen.size).toBeLessThan(ORDERS);
    expect(first.stderr).toMatch(new RegExp(`interrupted: ${messages.filter((m) => m.type === "RECORD").length} records written; the last STATE covers them`));

    const state = writeFile(dir, "state.json", lastState(messages)!);
    const second = await runCli(["--config", config, "--catalog", catalog, "--state", state]);
    expect(second.code, second.stderr).toBe(0);
    for (const r of recordsByStream(parseSinger(second.stdout)).get("orders") ?? []) seen.add(r.id);
    expect(seen.size).toBe(ORDERS);
  });
});
