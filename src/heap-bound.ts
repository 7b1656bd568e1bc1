/**
 * Keeps the JavaScript heap near what is live while a load runs. V8 lets its heap grow between
 * major collections to up to four times what was live after the last one (on a machine with
 * 16 GB or more), and a load promotes garbage fast: each page's response body is one large
 * string (allocated straight in the old generation) and its parsed records live through several
 * young collections while they wait for the writer. With about 50 MB live, the heap reached
 * 200–300 MB (docs/duckdb.md#memory). A full collection whenever the heap has grown
 * `HEADROOM_BYTES` past the last one's live size holds it near live + headroom.
 */
import { getHeapStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * How far the heap may grow past what the last full collection left live. Each collection takes
 * 50–70 ms of the main thread here: 64 MB asked for 4 of them in a first load of 20 000 orders
 * (about 2% of its CPU), 32 MB for 9 (docs/duckdb.md#memory).
 */
export const HEADROOM_BYTES = 64 * 1024 * 1024;
/** How often the heap's size is looked at. */
const CHECK_MS = 250;

/** The runtime's full collection, where it lets one be asked for (Node and Deno do); undefined elsewhere. */
function fullCollection(): (() => void) | undefined {
  try {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as unknown;
    return typeof gc === "function" ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

/** A running bound on the heap. */
export interface HeapBound {
  /** Full collections it asked for so far. */
  readonly collections: number;
  /** Stops watching the heap. */
  stop(): void;
}

/** Bounds the heap until `stop` (no collection is asked for where the runtime gives none). */
export function boundHeap(headroom = HEADROOM_BYTES): HeapBound {
  const collect = fullCollection();
  const bound = { collections: 0, stop: () => {} };
  if (!collect) return bound;
  let live = getHeapStatistics().used_heap_size;
  const timer = setInterval(() => {
    if (getHeapStatistics().used_heap_size < live + headroom) return;
    collect();
    bound.collections++;
    live = getHeapStatistics().used_heap_size;
  }, CHECK_MS);
  timer.unref?.();
  bound.stop = () => clearInterval(timer);
  return bound;
}
