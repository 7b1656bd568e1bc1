import { describe, expect, it } from "vitest";
import { inOrder, mergeByArrival, readAhead, TaskPool } from "../../src/engine/merge.ts";

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

  it("a reader read to its end gives its reading place to the next one, while what the finished ones hold stays within concurrency × buffer", async () => {
    const progress = new Map<string, number>();
    const small = ["s1", "s2", "s3", "s4", "s5", "s6"];
    const merged = readAhead([reader("a", 10, 0, progress), ...small.map((name) => reader(name, 1, 0, progress))], { concurrency: 2, buffer: 2 });
    expect(await merged.next()).toEqual({ done: false, value: "a:0" });
    // The consumer holds on to a's first item: a (its buffer full) and one other read at a time, yet s1, s2, s3 and s4
    // each read to the end and wait; with 4 = 2 × 2 items waiting, s5 does not start.
    for (let waited = 0; progress.get("s4") !== 1; waited += 5) {
      if (waited > 5000) throw new Error("s4 never read ahead");
      await pause(5);
    }
    await pause(30);
    expect(progress.get("a")).toBe(3);
    expect(progress.get("s5")).toBeUndefined();
    const out = ["a:0"];
    for await (const item of merged) out.push(item);
    expect(out).toEqual([...Array.from({ length: 10 }, (_, i) => `a:${i}`), ...small.map((name) => `${name}:0`)]);
  });
});

describe("inOrder", () => {
  /** Waits until `condition` holds (polling; fails after 5 s). */
  const until = async (condition: () => boolean) => {
    for (let waited = 0; !condition(); waited += 5) {
      if (waited > 5000) throw new Error("condition not reached");
      await pause(5);
    }
  };

  it("begins items in source order, at most `limit` not yet yielded, and yields in source order whatever order they finish in", async () => {
    const progress = new Map<string, number>();
    const begun: string[] = [];
    const finish = new Map<string, () => void>();
    const begin = (item: string) => {
      begun.push(item);
      return new Promise<string>((resolve) => finish.set(item, () => resolve(item.toUpperCase())));
    };
    const pipeline = inOrder(reader("a", 5, 0, progress)(), begin, 3);
    const first = pipeline.next();
    await until(() => begun.length === 3);
    await pause(30);
    expect(begun).toEqual(["a:0", "a:1", "a:2"]); // the source is not read further
    let yielded = false;
    void first.then(() => (yielded = true));
    finish.get("a:2")!();
    finish.get("a:1")!();
    await pause(30);
    expect(yielded).toBe(false); // a:0 is not done yet
    finish.get("a:0")!();
    expect(await first).toEqual({ done: false, value: "A:0" });
    expect((await pipeline.next()).value).toBe("A:1");
    await until(() => begun.length === 5); // places freed: the next items begin
    for (const item of ["a:3", "a:4"]) finish.get(item)!();
    const rest: string[] = [];
    for await (const result of pipeline) rest.push(result);
    expect(rest).toEqual(["A:2", "A:3", "A:4"]);
  });

  it("fails with the first failed item, in order, and closes the source", async () => {
    const progress = new Map<string, number>();
    const begin = async (item: string) => {
      await pause(item === "a:1" ? 20 : 1);
      if (item === "a:1") throw new Error("a:1 failed");
      return item;
    };
    const out: string[] = [];
    const run = async () => {
      for await (const result of inOrder(reader("a", 50, 1, progress)(), begin, 4)) out.push(result);
    };
    await expect(run()).rejects.toThrow("a:1 failed");
    expect(out).toEqual(["a:0"]);
    const stoppedAt = progress.get("a");
    await pause(30);
    expect(progress.get("a")).toBe(stoppedAt);
  });
});

describe("TaskPool", () => {
  it("runs at most `limit` tasks at once across calls, first come first served", async () => {
    const pool = new TaskPool(3);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const task = (i: number) => async () => {
      started.push(i);
      running++;
      peak = Math.max(peak, running);
      await pause(5);
      running--;
    };
    await Promise.all([pool.all([0, 1, 2, 3].map(task)), pool.all([4, 5, 6, 7, 8].map(task))]);
    expect(peak).toBe(3);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
