import { describe, expect, it } from "vitest";
import { mergeByArrival, readAhead } from "../../src/engine/merge.ts";

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A reader of `n` items named `name:i`, each after `delayMs`; records how far it got. */
function reader(name: string, n: number, delayMs: number, progress: Map<string, number>, failAt?: number) {
  return async function* () {
    for (let i = 0; i < n; i++) {
      await pause(delayMs);
      if (i === failAt) throw new Error(`${name} failed`);
      progress.set(name, i + 1);
      yield `${name}:${i}`;
    }
  };
}

describe("mergeByArrival", () => {
  it("yields every item of every reader, each reader's in its own order, interleaved by arrival", async () => {
    const progress = new Map<string, number>();
    const out: string[] = [];
    for await (const item of mergeByArrival([reader("a", 5, 5, progress), reader("b", 5, 1, progress)], { concurrency: 2, buffer: 2 })) out.push(item);
    expect(out.sort()).toEqual(["a:0", "a:1", "a:2", "a:3", "a:4", "b:0", "b:1", "b:2", "b:3", "b:4"]);
    for (const name of ["a", "b"]) expect(out.filter((x) => x.startsWith(name))).toEqual([0, 1, 2, 3, 4].map((i) => `${name}:${i}`));
  });

  it("keeps each reader at most `buffer` items ahead of the consumer, and no more than `concurrency` readers running", async () => {
    const progress = new Map<string, number>();
    const merged = mergeByArrival([reader("a", 10, 0, progress), reader("b", 10, 0, progress), reader("c", 10, 0, progress)], { concurrency: 2, buffer: 3 });
    await merged.next();
    await pause(30);
    expect(progress.get("c")).toBeUndefined(); // not started: two run at once
    const ahead = (progress.get("a") ?? 0) + (progress.get("b") ?? 0) - 1;
    expect(ahead).toBeLessThanOrEqual(2 * 3 + 1);
    await merged.return(undefined);
  });

  it("fails with the first reader's error and stops the others", async () => {
    const progress = new Map<string, number>();
    const run = async () => {
      for await (const _ of mergeByArrival([reader("a", 50, 2, progress), reader("b", 5, 1, progress, 2)], { concurrency: 2, buffer: 2 })) void _;
    };
    await expect(run()).rejects.toThrow("b failed");
    const stoppedAt = progress.get("a");
    await pause(30);
    expect(progress.get("a")).toBe(stoppedAt);
  });
});

describe("readAhead", () => {
  it("yields readers whole and in order while the next ones already read", async () => {
    const progress = new Map<string, number>();
    const out: string[] = [];
    const merged = readAhead([reader("a", 4, 10, progress), reader("b", 3, 0, progress), reader("c", 3, 0, progress)], { concurrency: 3, buffer: 3 });
    for await (const item of merged) {
      if (item === "a:0") {
        await pause(20);
        expect(progress.get("b")).toBe(3); // b read ahead (it fits its buffer) while a is still being consumed
      }
      out.push(item);
    }
    expect(out).toEqual(["a:0", "a:1", "a:2", "a:3", "b:0", "b:1", "b:2", "c:0", "c:1", "c:2"]);
  });
});
