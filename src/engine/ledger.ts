/**
 * The state ledger of one stream read in cursor windows. Windows `[from, to)` may finish in
 * any order (several in flight, newest first); the bookmark only ever moves to the end of the
 * contiguous finished prefix, so a crash never skips a window that was not finished. Windows
 * finished beyond the prefix are recorded in the bookmark (`finished_windows`), so a resumed
 * run does not read them again; a reader that keeps the Singer bookmark alone loses nothing,
 * it only re-reads them.
 */
import type { StreamBookmark } from "./types.ts";

/** A cursor window: records with `from <= cursor < to` (ISO instants); no `to` is open-ended (up to now). */
export interface CursorWindow {
  from: string;
  to?: string;
}

/** The bookmark field that lists windows finished beyond the bookmark, as `[from, to]` pairs. */
export const FINISHED_WINDOWS = "finished_windows";

type WindowState = { window: CursorWindow; done: boolean; mark?: StreamBookmark };

/** Tracks the windows of one stream's read and gives the bookmark that is true at any moment. */
export class Ledger {
  readonly #windows: WindowState[];
  readonly #replicationKey: string;
  readonly #start: StreamBookmark | undefined;
  readonly #carried: [string, string][];

  /**
   * `windows` are contiguous and ascending (each `to` is the next `from`); `start` is the
   * bookmark the read began at (undefined on a first run). Finished windows that `start`
   * records beyond its value and that this read does not cover are carried over.
   */
  constructor(replicationKey: string, start: StreamBookmark | undefined, windows: CursorWindow[]) {
    for (let i = 1; i < windows.length; i++) {
      if (windows[i - 1].to !== windows[i].from) throw new Error(`ledger: windows ${i - 1} and ${i} are not contiguous`);
    }
    this.#replicationKey = replicationKey;
    this.#start = start;
    this.#windows = windows.map((window) => ({ window, done: false }));
    this.#carried = finishedWindows(start).filter(([from, to]) => !windows.some((w) => overlaps(w, from, to)));
  }

  /** The windows, in cursor order. */
  get windows(): readonly CursorWindow[] {
    return this.#windows.map((w) => w.window);
  }

  /** A safe bookmark inside window `index` (its records are read in cursor order, up to `mark`). */
  progress(index: number, mark: StreamBookmark): void {
    const entry = this.#entry(index);
    if (!entry.done) entry.mark = mark;
  }

  /** Window `index` is read completely; `mark` is its high-water mark (needed for an open-ended window). */
  finish(index: number, mark?: StreamBookmark): void {
    const entry = this.#entry(index);
    entry.done = true;
    entry.mark = mark;
  }

  /** True once every window is finished. */
  get complete(): boolean {
    return this.#windows.every((w) => w.done);
  }

  /**
   * The bookmark now: the end of the contiguous finished prefix (or the progress inside the
   * first unfinished window), with the windows finished beyond it listed. Undefined while
   * nothing is known (a first run before its oldest window moved).
   */
  bookmark(): StreamBookmark | undefined {
    let bookmark = this.#start ? withoutFinished(this.#start) : undefined;
    let i = 0;
    for (; i < this.#windows.length; i++) {
      const { window, done, mark } = this.#windows[i];
      if (!done) {
        if (mark) bookmark = later(bookmark, mark);
        break;
      }
      bookmark = later(bookmark, window.to === undefined ? mark : this.#at(window.to));
    }
    let beyond: [string, string][] = [...this.#carried];
    for (const { window, done } of this.#windows.slice(i + 1)) {
      if (done && window.to !== undefined) beyond.push([window.from, window.to]);
    }
    // A window finished earlier that starts where the prefix ends extends it.
    for (;;) {
      const at = bookmark?.replication_key_value === undefined ? NaN : Date.parse(bookmark.replication_key_value);
      const next = beyond.find(([from, to]) => Date.parse(from) <= at && at < Date.parse(to));
      if (!next) break;
      bookmark = this.#at(next[1]);
      beyond = beyond.filter((w) => w !== next);
    }
    if (beyond.length === 0) return bookmark;
    const base = bookmark ?? this.#at(this.#windows[0]?.window.from ?? beyond[0][0]);
    return { ...base, [FINISHED_WINDOWS]: beyond.sort((a, b) => Date.parse(a[0]) - Date.parse(b[0])) };
  }

  #at(value: string): StreamBookmark {
    return { replication_key: this.#replicationKey, replication_key_value: value };
  }

  #entry(index: number): WindowState {
    const entry = this.#windows[index];
    if (!entry) throw new Error(`ledger: no window ${index}`);
    return entry;
  }
}

/** The windows a bookmark records as finished beyond its value. */
export function finishedWindows(bookmark: StreamBookmark | undefined): [string, string][] {
  const raw = bookmark?.[FINISHED_WINDOWS];
  if (!Array.isArray(raw)) return [];
  return raw.filter((p): p is [string, string] =>
    Array.isArray(p) && p.length === 2 && typeof p[0] === "string" && typeof p[1] === "string" && Date.parse(p[0]) < Date.parse(p[1])
  );
}

/** The windows of `windows` still to read: those a bookmark does not record as finished. */
export function unfinished(windows: CursorWindow[], bookmark: StreamBookmark | undefined): { window: CursorWindow; index: number }[] {
  const finished = finishedWindows(bookmark);
  return windows
    .map((window, index) => ({ window, index }))
    .filter(({ window }) => !finished.some(([from, to]) => window.to !== undefined && Date.parse(from) <= Date.parse(window.from) && Date.parse(window.to) <= Date.parse(to)));
}

function overlaps(window: CursorWindow, from: string, to: string): boolean {
  const end = window.to === undefined ? Infinity : Date.parse(window.to);
  return Date.parse(window.from) < Date.parse(to) && Date.parse(from) < end;
}

function withoutFinished(bookmark: StreamBookmark): StreamBookmark {
  const { [FINISHED_WINDOWS]: _, ...rest } = bookmark;
  return rest;
}

/** The later of two bookmarks (a bookmark never moves back). */
function later(a: StreamBookmark | undefined, b: StreamBookmark | undefined): StreamBookmark | undefined {
  if (!a || a.replication_key_value === undefined) return b ?? a;
  if (!b || b.replication_key_value === undefined) return a;
  return Date.parse(b.replication_key_value) >= Date.parse(a.replication_key_value) ? b : a;
}
