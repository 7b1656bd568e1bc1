/** The heap bound a load runs under: a full collection once the heap has grown past the headroom, none after `stop`. */
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { boundHeap } from "../../src/heap-bound.ts";

/** Allocates about `rounds` × 2 MB of garbage that outlives a few young collections, yielding to timers between rounds. */
async function churn(rounds: number): Promise<void> {
  const kept: unknown[] = [];
  for (let round = 0; round < rounds; round++) {
    kept.push(Array.from({ length: 40_000 }, (_, i) => ({ i, text: `row ${i}` })));
    if (kept.length > 3) kept.shift();
    await sleep(30);
  }
}

describe("boundHeap", () => {
  it("asks for full collections while the heap grows past the headroom, and stops asking once stopped", async () => {
    const bound = boundHeap(8 * 2 ** 20);
    await churn(40);
    bound.stop();
    const collections = bound.collections;
    expect(collections).toBeGreaterThan(0);
    await churn(20);
    expect(bound.collections).toBe(collections);
  }, 30_000);
});
