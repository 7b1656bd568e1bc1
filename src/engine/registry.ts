/** Reading the stream registry: defaults applied once, lookups by name, parent/child relations. */
import type { ListRequest } from "./paginate.ts";
import type { ChildStream, PaginationStyle, RootStream, StreamDefinition, StreamEntry, WriteMode } from "./types.ts";

/** The pagination a list endpoint uses when its entry does not say. */
export function defaultPagination(api: "v2" | "v3"): PaginationStyle {
  return api === "v2" ? "v2-page" : "v3-offset";
}

/**
 * The write mode of a table when neither its entry nor the user says: merge on the primary
 * key, append when there is none. The one place that decides it.
 */
export function defaultWriteMode(primaryKey: readonly string[]): WriteMode {
  return primaryKey.length > 0 ? "merge" : "append";
}

/** Declares registry entries; fills the defaults so that entries state only what differs. */
export function defineStreams(entries: StreamEntry[]): StreamDefinition[] {
  return entries.map(defineStream);
}

/** One entry with its defaults applied. */
export function defineStream(entry: StreamEntry): StreamDefinition {
  const resolved = { selectedByDefault: entry.selectedByDefault ?? true, writeMode: entry.writeMode ?? defaultWriteMode(entry.primaryKey) };
  if (isChildEntry(entry)) return { ...entry, ...resolved } satisfies ChildStream;
  return { ...entry, ...resolved, pagination: entry.pagination ?? defaultPagination(entry.api) } satisfies RootStream;
}

function isChildEntry(entry: StreamEntry): entry is StreamEntry & { parent: NonNullable<StreamEntry["parent"]> } {
  return entry.parent !== undefined;
}

/** The page size to ask a stream's list for: the configured one, capped by the stream's own maximum. */
export function pageSizeOf(stream: StreamDefinition, configured: number): number {
  return Math.min(configured, stream.pageSize ?? configured);
}

/** The list request for a stream's path with these query parameters (what a reader adds, it spreads over it). */
export function listRequest(stream: RootStream, configuredPageSize: number, params: ListRequest["params"]): ListRequest {
  return { stream: stream.name, api: stream.api, path: stream.path, style: stream.pagination, pageSize: pageSizeOf(stream, configuredPageSize), params };
}

/**
 * The query parameter that restricts a stream's list (and its count endpoint) to the configured
 * `channel_id`: `{ [channelFilter]: channelId }`, or nothing when no channel is configured or the
 * API cannot filter the stream by channel. Every read of a list (sync, delete reconciliation,
 * archive sweep) takes the channel from here, so they all hold the same set of records.
 */
export function channelScope(stream: StreamDefinition, channelId: number | undefined): Record<string, number> {
  return channelId !== undefined && stream.channelFilter ? { [stream.channelFilter]: channelId } : {};
}

/** Finds a stream by name, or undefined. */
export function findStream(registry: readonly StreamDefinition[], name: string): StreamDefinition | undefined {
  return registry.find((s) => s.name === name);
}

/** The streams that declare `parentName` as their parent. */
export function childrenOf(registry: readonly StreamDefinition[], parentName: string): ChildStream[] {
  return registry.filter(isChild).filter((s) => s.parent.stream === parentName);
}

/** The top-level stream a stream is read under: itself, or its parent's (undefined for a name the registry lacks). */
export function rootStreamOf(registry: readonly StreamDefinition[], name: string): RootStream | undefined {
  const stream = findStream(registry, name);
  if (!stream) return undefined;
  return isChild(stream) ? rootStreamOf(registry, stream.parent.stream) : stream;
}

/** True when a stream is read through its parent rather than from a list endpoint of its own. */
export function isChild(stream: StreamDefinition): stream is ChildStream {
  return stream.parent !== undefined;
}

/** True for a top-level stream (a list endpoint of its own). */
export function isRoot(stream: StreamDefinition): stream is RootStream {
  return stream.parent === undefined;
}
