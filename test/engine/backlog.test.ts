/**
 * The bound between a stream's readers and a slow consumer (a writer): the records read and
 * not yet taken never pass the stream's page size (`page_size`, or less where the API caps the
 * stream's pages) × PAGES_HELD, whatever the windows read at once would buffer; the readers
 * wait for room instead, and every record still comes exactly once.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.ts";
import { PAGES_HELD } from "../../src/engine/backlog.ts";
import { WINDOWS_AT_ONCE } from "../../src/engine/partitions.ts";
import { sync } from "../../src/engine/sync.ts";
import type { Config } from "../../src/config/load.ts";
import type { StreamDefinition } from "../../src/engine/types.ts";
import { registry } from "../../streams/index.ts";
import { emulatorWithConfig, FAST_RETRIES } from "../support/emulator.ts";

const ORDERS = 1600;
const PAGE = 10;

describe("records held between the readers and a slow writer", () => {
  let emulator: Emulator;
  let config: Config;
  beforeAll(async () => {
    ({ emulator, config } = await emulatorWithConfig({ sizes: { orders: ORDERS } }, { page_size: PAGE }));
  });
  afterAll(() => emulator.close());

  /** Reads the orders with a writer that stalls after its first rows; every order's id, and the most records the readers held. */
  async function stalledRead(options: { config: Config; registry?: readonly StreamDefinition[] }): Promise<{ rows: number; ids: Set<unknown>; peak?: number }> {
    const ids = new Set<unknown>();
    let rows = 0;
    let stalled = false;
    let peak: number | undefined;
    for await (const event of sync({ ...options, selection: { streams: ["orders"] }, clientOptions: FAST_RETRIES })) {
      if (event.type === "stream-end") peak = event.peakHeld;
      if (event.type !== "batch") continue;
      for (const row of event.rows.get("orders") ?? []) {
        ids.add(row.id);
        rows++;
      }
      // The writer stalls after its first rows: the readers run ahead until the bound stops them.
      if (!stalled && rows > 0) {
        stalled = true;
        await sleep(1500);
      }
    }
    return { rows, ids, peak };
  }

  it("stay within page_size × PAGES_HELD while the writer stalls, and every order comes once", async () => {
    const limit = PAGE * PAGES_HELD;
    // Unbounded, the eight windows' buffers alone (two pages each) would hold more than the limit.
    expect(WINDOWS_AT_ONCE * 2 * PAGE).toBeGreaterThan(limit);
    const { rows, ids, peak } = await stalledRead({ config });
    expect(rows).toBe(ORDERS);
    expect(ids.size).toBe(ORDERS);
    expect(peak).toBeLessThanOrEqual(limit);
    // The readers did run ahead of the stalled writer (the counter counts what they held).
    expect(peak).toBeGreaterThan(limit / 2);
    // The read was cut into windows read at once (what the bound is for).
    expect(emulator.log.filter((e) => e.path === "/v2/orders" && e.query.max_date_modified !== undefined).length).toBeGreaterThan(0);
  });

  it("of a stream whose API caps its pages below page_size, stay within the stream's page size × PAGES_HELD", async () => {
    // page_size 250, but the stream's pages hold at most PAGE records (as product_options' do).
    const capped = registry.map((s) => (s.name === "orders" ? { ...s, pageSize: PAGE } : s));
    emulator.log.clear();
    const { rows, ids, peak } = await stalledRead({ config: { ...config, page_size: 250 }, registry: capped });
    expect(rows).toBe(ORDERS);
    expect(ids.size).toBe(ORDERS);
    const pages = emulator.log.filter((e) => e.path === "/v2/orders" && e.query.limit !== "1");
    expect(pages.length).toBeGreaterThan(0);
    expect(pages.every((e) => e.query.limit === String(PAGE))).toBe(true);
    expect(peak).toBeLessThanOrEqual(PAGE * PAGES_HELD);
    expect(peak).toBeGreaterThan((PAGE * PAGES_HELD) / 2);
    expect(emulator.log.filter((e) => e.path === "/v2/orders" && e.query.max_date_modified !== undefined).length).toBeGreaterThan(0);
  });
});
