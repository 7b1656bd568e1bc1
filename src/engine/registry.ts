/** Reading the stream registry: defaults applied once, lookups by name, parent/child relations. */
import type { PaginationStyle, StreamDefinition, WriteMode } from "./types.ts";

/** The pagination a list endpoint uses when its entry does not say. */
export function defaultPagination(api: "v2" | "v3"): PaginationStyle {
  return api === "v2" ? "v2-page" : "v3-offset";
}

/** Declares registry entries; fills the defaults so that entries state only what differs. */
export function defineStreams(entries: StreamDefinition[]): StreamDefinition[] {
  return entries.map((entry) => ({
    selectedByDefault: true,
    writeMode: defaultWriteMode(entry),
    ...entry,
    pagination: entry.pagination ?? (entry.api ? defaultPagination(entry.api) : undefined),
  }));
}

function defaultWriteMode(entry: StreamDefinition): WriteMode {
  return entry.primaryKey.length > 0 ? "merge" : "append";
}

/** Finds a stream by name, or undefined. */
export function findStream(registry: readonly StreamDefinition[], name: string): StreamDefinition | undefined {
  return registry.find((s) => s.name === name);
}

/** The streams that declare `parentName` as their parent. */
export function childrenOf(registry: readonly StreamDefinition[], parentName: string): StreamDefinition[] {
  return registry.filter((s) => s.parent?.stream === parentName);
}

/** True when a stream is read through its parent rather than from a list endpoint of its own. */
export function isChild(stream: StreamDefinition): boolean {
  return stream.parent !== undefined;
}
