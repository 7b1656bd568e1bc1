/**
 * Exactly-once over an interrupted load: the load stops after any batch (the source fails,
 * as a dying process would stop sending), and a rerun from the stored state ends with the
 * same tables as one uninterrupted load — in every write mode. (SIGKILL at arbitrary
 * points, inside transactions too, is exercised through the CLI in cli-load.test.ts.)
 */
import { copyFileSync, existsSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { loadEvents, readState } from "../../src/destinations/duckdb/index.ts";
import type { State, SyncEvent, WriteMode } from "../../src/engine/types.ts";
import { differences } from "../support/duckdb.ts";
import { order, type OrderFixture, orders, source, tempDir } from "./fixtures.ts";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** A source that stops (throws) when it is about to yield its `stopAt`-th batch. */
async function* stopping(data: OrderFixture[], stopAt: number, state: State | undefined): AsyncGenerator<SyncEvent> {
  let batches = 0;
  for await (const event of source(data, { state, pageSize: 3, incremental: state !== undefined })) {
    if (event.type === "batch" && batches++ === stopAt) throw new Error("killed");
    yield event;
  }
}

// Ten orders; before the second run two change (fewer and more line items) and six are added.
const initial = orders(10, 3);
const added = Array.from({ length: 6 }, (_, i) => order(11 + i));
const changed = [...initial.filter((o) => ![2, 5].includes(Number(o.order.id))), order(2, 1, 1), order(5, 2, 4), ...added];

for (const mode of ["merge", "append", "replace"] as WriteMode[]) {
  describe(`${mode}: interrupted, then run again`, () => {
    const writeModes = { orders: mode };
    const reference = tmp.file(`${mode}-reference.duckdb`);

    it("gives the tables of an uninterrupted load, wherever it stopped", async () => {
      // merge and append resume from the bookmark; replace is for full-table reads (every run reads all).
      const resume = async (path: string) => (mode === "replace" ? undefined : await readState(path));
      const read = async (data: OrderFixture[], path: string) => source(data, { pageSize: 3, state: await resume(path), incremental: mode !== "replace" });
      // The first run's file, copied as the start of the reference and of every interrupted run.
      const first = tmp.file(`${mode}-first.duckdb`);
      await loadEvents(source(initial, { pageSize: 3 }), { path: first, writeModes });
      expect(existsSync(`${first}.wal`)).toBe(false); // checkpointed when the load closed it: the file alone is the whole database
      copyFileSync(first, reference);
      await loadEvents(await read(changed, reference), { path: reference, writeModes });
      for (const stopAt of [0, 1, 2, 3]) {
        const path = tmp.file(`${mode}-stop-${stopAt}.duckdb`);
        copyFileSync(first, path);
        await expect(loadEvents(stopping(changed, stopAt, await resume(path)), { path, writeModes }), `stop at ${stopAt}`).rejects.toThrow("killed");
        await loadEvents(await read(changed, path), { path, writeModes });
        const diff = await differences(reference, path);
        expect(diff, `stopped before batch ${stopAt}`).toEqual({ order_products: 0, order_products_applied_discounts: 0, orders: 0 });
        expect(await readState(path)).toEqual(await readState(reference));
      }
    });
  });
}
