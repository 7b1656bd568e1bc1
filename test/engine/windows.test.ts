/**
 * A large incremental stream read in cursor windows at once: every record exactly once, the
 * newest windows first on a first load, and every yielded state honest (its bookmark never
 * passes a record not yet yielded), so a run stopped anywhere resumes without a loss.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.ts";
import { FINISHED_WINDOWS } from "../../src/engine/ledger.ts";
import { STATE_VERSION } from "../../src/engine/state.ts";
import { sync } from "../../src/engine/sync.ts";
import type { Row, State } from "../../src/engine/types.ts";
import { emulatorWithConfig, FAST_RETRIES } from "../support/emulator.ts";
import type { Config } from "../../src/config/load.ts";

const STREAMS = ["orders", "order_products"];

/** The batches of a sync: orders rows and the state each carried. */
async function batches(config: Config, state?: State): Promise<{ orders: Row[]; products: number; state: State }[]> {
  const out: { orders: Row[]; products: number; state: State }[] = [];
  for await (const event of sync({ config, selection: { streams: STREAMS }, state, clientOptions: FAST_RETRIES })) {
    if (event.type === "batch") out.push({ orders: event.rows.get("orders") ?? [], products: event.rows.get("order_products")?.length ?? 0, state: event.state });
  }
  return out;
}

const ms = (value: unknown) => Date.parse(String(value));

describe("cursor windows", () => {
  let emulator: Emulator;
  let config: Config;
  beforeAll(async () => {
    ({ emulator, config } = await emulatorWithConfig({ sizes: { orders: 600 } }, { page_size: 10 }));
  });
  afterAll(() => emulator.close());

  it("read every order once, in windows cut from the API's count, newest first, each state covering only what was yielded", async () => {
    emulator.log.clear();
    const all = await batches(config);
    const orders = all.flatMap((b) => b.orders);
    expect(orders.length).toBe(600);
    expect(new Set(orders.map((o) => o.id)).size).toBe(600);
    expect(all.reduce((n, b) => n + b.products, 0)).toBeGreaterThanOrEqual(600);
    // Cut from the count, read with an upper bound per window, then the open-ended newest one.
    expect(emulator.log.count({ path: "/v2/orders/count" })).toBeGreaterThanOrEqual(1);
    const bounded = emulator.log.filter((e) => e.path === "/v2/orders" && e.query.max_date_modified !== undefined);
    expect(new Set(bounded.map((e) => e.query.max_date_modified)).size).toBeGreaterThanOrEqual(2); // 60 pages: 3 windows
    // Newest first: the windows' readers start from the newest down (their first requests reach the store in that order).
    const ends = [...new Set(bounded.filter((e) => e.query.limit !== "1").map((e) => e.query.max_date_modified as string))];
    expect(ends).toEqual([...ends].sort((a, b) => ms(b) - ms(a)));
    // Honest states: after each batch, every order below the bookmark has been yielded.
    const yielded = new Set<unknown>();
    for (const batch of all) {
      for (const order of batch.orders) yielded.add(order.id);
      const value = batch.state.bookmarks.orders?.replication_key_value;
      if (value === undefined) continue;
      const missing = orders.filter((o) => ms(o.date_modified) < ms(value) && !yielded.has(o.id));
      expect(missing.map((o) => o.id)).toEqual([]);
    }
    expect(ms(all.at(-1)!.state.bookmarks.orders?.replication_key_value)).toBe(Math.max(...orders.map((o) => ms(o.date_modified))));
  });

  it("stopped after any batch, a run resumed from that batch's state ends with every order", async () => {
    const all = await batches(config);
    for (const stop of [Math.floor(all.length / 4), Math.floor(all.length / 2), all.length - 3]) {
      const before = new Set(all.slice(0, stop + 1).flatMap((b) => b.orders.map((o) => o.id)));
      const state = all[stop].state;
      const resumed = await batches(config, state);
      for (const batch of resumed) for (const order of batch.orders) before.add(order.id);
      expect(before.size, `stopped after batch ${stop}`).toBe(600);
    }
  });

  it("a state written by the previous format (version 2, no finished windows) resumes: nothing read again, version 3 written", async () => {
    const all = await batches(config);
    const previous = { ...all.at(-1)!.state, version: 2 };
    const again = await batches(config, previous);
    expect(again.flatMap((b) => b.orders)).toEqual([]);
    expect(again.at(-1)!.state.version).toBe(STATE_VERSION);
    expect(again.at(-1)!.state.bookmarks.orders).toEqual(previous.bookmarks.orders);
  });

  it("a bookmark listing windows finished beyond it: the resumed run does not read them again, and loses nothing", async () => {
    const all = await batches(config);
    const orders = all.flatMap((b) => b.orders);
    const times = orders.map((o) => ms(o.date_modified)).sort((a, b) => a - b);
    // A window an interrupted run finished beyond its bookmark (start_date): the 40th to the 70th percentile.
    const finished: [string, string] = [new Date(times[240]).toISOString(), new Date(times[420]).toISOString()];
    const inside = new Set(orders.filter((o) => ms(o.date_modified) >= ms(finished[0]) && ms(o.date_modified) < ms(finished[1])).map((o) => o.id));
    expect(inside.size).toBeGreaterThan(100);
    const bookmark = { replication_key: "date_modified", replication_key_value: config.start_date, [FINISHED_WINDOWS]: [finished] };
    // Both streams on the orders cursor keep their own bookmark (the same here, as one run wrote them).
    const state: State = { version: STATE_VERSION, bookmarks: { orders: bookmark, order_products: structuredClone(bookmark) } };
    const resumed = await batches(config, state);
    const ids = resumed.flatMap((b) => b.orders.map((o) => o.id));
    expect(ids.filter((id) => inside.has(id))).toEqual([]);
    expect(new Set([...ids, ...inside]).size).toBe(600);
    expect(ms(resumed.at(-1)!.state.bookmarks.orders?.replication_key_value)).toBe(times.at(-1));
    expect(resumed.at(-1)!.state.bookmarks.orders?.[FINISHED_WINDOWS]).toBeUndefined();

  });
});
