/**
 * The JavaScript heap of a long load. V8 lets garbage grow its heap to a few times what is
 * live before a full collection, and the more pages a load reads at once, the more it lets it
 * grow: at 100 000 orders 67 MB were live in a 340 MB heap, so the load's RSS grew with the
 * store. Growing the heap by a fixed share at a time keeps it near what is live (measured in
 * docs/performance.md). V8 reads this flag at each collection, so setting it at run time works.
 */
import { setFlagsFromString } from "node:v8";

/** How much the heap may grow past what is live before the next full collection, in percent. */
export const HEAP_GROWING_PERCENT = 50;

/** Bounds the heap's growth for the rest of the process (a no-op where the runtime refuses the flag). */
export function boundHeapGrowth(): void {
  try {
    setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  } catch {
    // Deno or another runtime without V8 flags: its own default applies.
  }
}
