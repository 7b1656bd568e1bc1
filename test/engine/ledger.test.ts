import { describe, expect, it } from "vitest";
import { type CursorWindow, FINISHED_WINDOWS, Ledger, unfinished } from "../../src/engine/ledger.ts";

const T = (day: number) => `2024-01-${String(day).padStart(2, "0")}T00:00:00.000Z`;
/** Four windows: three closed days and an open-ended tail. */
const WINDOWS: CursorWindow[] = [{ from: T(1), to: T(2) }, { from: T(2), to: T(3) }, { from: T(3), to: T(4) }, { from: T(4) }];
const value = (ledger: Ledger) => ledger.bookmark()?.replication_key_value;

describe("the state ledger", () => {
  it("moves the bookmark only to the end of the contiguous finished prefix when windows finish out of order", () => {
    const ledger = new Ledger("date_modified", undefined, WINDOWS);
    expect(ledger.bookmark()).toBeUndefined();
    ledger.finish(2); // newest closed window first (recent_first)
    expect(value(ledger)).toBe(T(1)); // nothing below it is finished: the bookmark stays at the start
    expect(ledger.bookmark()?.[FINISHED_WINDOWS]).toEqual([[T(3), T(4)]]);
    ledger.finish(0);
    expect(value(ledger)).toBe(T(2));
    ledger.progress(1, { replication_key: "date_modified", replication_key_value: "2024-01-02T12:00:00.000Z", boundary_keys: ["7"] });
    expect(ledger.bookmark()).toMatchObject({ replication_key_value: "2024-01-02T12:00:00.000Z", boundary_keys: ["7"] });
    ledger.finish(1);
    expect(value(ledger)).toBe(T(4)); // windows 1 and 2 join the prefix at once
    expect(ledger.bookmark()?.[FINISHED_WINDOWS]).toBeUndefined();
    expect(ledger.complete).toBe(false);
    ledger.finish(3, { replication_key: "date_modified", replication_key_value: "2024-01-05T08:00:00.000Z", boundary_keys: ["9"] });
    expect(ledger.complete).toBe(true);
    expect(ledger.bookmark()).toEqual({ replication_key: "date_modified", replication_key_value: "2024-01-05T08:00:00.000Z", boundary_keys: ["9"] });
  });

  it("never moves the bookmark back below where the read started", () => {
    const start = { replication_key: "date_modified", replication_key_value: T(3) };
    const ledger = new Ledger("date_modified", start, [{ from: T(3) }]);
    expect(ledger.bookmark()).toEqual(start);
    ledger.finish(0, undefined); // an open window that found nothing
    expect(ledger.bookmark()).toEqual(start);
  });

  it("after a crash between windows, the resumed run reads exactly the windows not finished", () => {
    // Run 1: windows 0 and 2 finish, then the process dies; the last state it stored is this.
    const first = new Ledger("date_modified", undefined, WINDOWS);
    first.finish(2);
    first.finish(0);
    const saved = structuredClone(first.bookmark());
    expect(saved).toEqual({ replication_key: "date_modified", replication_key_value: T(2), [FINISHED_WINDOWS]: [[T(3), T(4)]] });

    // Run 2 plans from the bookmark's value again (same cut points) and skips what is recorded as finished.
    const planned: CursorWindow[] = [{ from: T(2), to: T(3) }, { from: T(3), to: T(4) }, { from: T(4) }];
    const todo = unfinished(planned, saved);
    expect(todo.map((t) => t.window)).toEqual([{ from: T(2), to: T(3) }, { from: T(4) }]);
    const second = new Ledger("date_modified", saved, planned);
    for (const { index } of planned.map((_, index) => ({ index })).filter(({ index }) => !todo.some((t) => t.index === index))) second.finish(index);
    expect(value(second)).toBe(T(2));
    second.finish(todo[0].index);
    expect(second.bookmark()).toEqual({ replication_key: "date_modified", replication_key_value: T(4) });
  });

  it("carries finished windows a resumed run plans differently, without reading them twice", () => {
    const saved = { replication_key: "date_modified", replication_key_value: T(1), [FINISHED_WINDOWS]: [[T(5), T(6)]] };
    const ledger = new Ledger("date_modified", saved, [{ from: T(1), to: T(3) }, { from: T(3), to: T(5) }]);
    ledger.finish(1);
    expect(ledger.bookmark()).toEqual({ ...saved, [FINISHED_WINDOWS]: [[T(3), T(5)], [T(5), T(6)]] });
    ledger.finish(0);
    // The prefix reaches the carried window, which extends it.
    expect(ledger.bookmark()).toEqual({ replication_key: "date_modified", replication_key_value: T(6) });
  });

  it("refuses windows that leave a gap", () => {
    expect(() => new Ledger("date_modified", undefined, [{ from: T(1), to: T(2) }, { from: T(3) }])).toThrow(/not contiguous/);
  });
});
