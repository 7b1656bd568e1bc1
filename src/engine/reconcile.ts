/**
 * Delete reconciliation: the primary keys still in the store, read as cheaply as the
 * endpoint allows (ids only where it supports `include_fields`), so a destination can mark
 * rows that vanished instead of leaving them looking alive.
 */
import type { Config } from "../config/load.ts";
import type { ApiClient } from "./http.ts";
import { keyOf } from "./keys.ts";
import { readPages } from "./paginate.ts";
import { channelScope, listRequest } from "./registry.ts";
import { collect, valueAt } from "./paths.ts";
import type { RootStream, StreamDefinition } from "./types.ts";

/** True for streams whose deletions can be swept: top-level list streams. */
export function canReconcile(stream: StreamDefinition): stream is RootStream {
  return !stream.parent && stream.pagination !== "single";
}

/** The keys (encoded by `encodeKey`) of every record the store still lists for a stream. */
export async function liveKeys(client: ApiClient, stream: RootStream, config: Config): Promise<Set<string>> {
  const params = { ...stream.params, ...stream.idsOnlyParams, ...channelScope(stream, config.channel_id) };
  const keys = new Set<string>();
  const recordKey = keyOf(stream.primaryKey);
  const pages = readPages(client, listRequest(stream, config.page_size, params));
  for await (const page of pages) {
    for (const record of page) {
      if (stream.rowsAt) {
        // Fan-out streams: each nested row, with the identity keys of its record.
        for (const { object } of collect(record, stream.rowsAt.path)) {
          const row: Record<string, unknown> = { ...object };
          for (const [column, path] of Object.entries(stream.rowsAt.keys)) row[column] = valueAt(record, path);
          keys.add(recordKey(row));
        }
      } else keys.add(recordKey(record));
    }
  }
  return keys;
}
