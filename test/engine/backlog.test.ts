/**
 * The bound between a stream's readers and a slow consumer (a writer): the records read and
 * not yet taken never pass `page_size` × PAGES_HELD, whatever the windows read at once would
 * buffer; the readers wait for room instead, and every record still comes exactly once.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.ts";
import { PAGES_HELD } from "../../src/engine/backlog.ts";
import { WINDOWS_AT_ONCE } from "../../src/engine/partitions.ts";
import { sync } from "../../src/engine/sync.ts";
import type { Config } from "../../src/config/load.ts";
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

  it("stay within page_size × PAGES_HELD while the writer stalls, and every order comes once", async () => {
    const limit = PAGE * PAGES_HELD;
    // Unbounded, the eight windows' buffers alone (two pages each) would hold more than the limit.
    expect(WINDOWS_AT_ONCE * 2 * PAGE).toBeGreaterThan(limit);
    const ids = new Set<unknown>();
    let rows = 0;
    let stalled = false;
    let peak: number | undefined;
    for await (const event of sync({ config, selection: { streams: ["orders"] }, clientOptions: FAST_RETRIES })) {
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
    expect(rows).toBe(ORDERS);
    expect(ids.size).toBe(ORDERS);
    expect(peak).toBeLessThanOrEqual(limit);
    // The readers did run ahead of the stalled writer (the counter counts what they held).
    expect(peak).toBeGreaterThan(limit / 2);
    // The read was cut into windows read at once (what the bound is for).
    expect(emulator.log.filter((e) => e.path === "/v2/orders" && e.query.max_date_modified !== undefined).length).toBeGreaterThan(0);
  });
});
