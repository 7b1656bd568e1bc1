/**
 * Finding archived (deleted) records whose archiving left no trace the incremental read can see (BigCommerce
 * does not document that archiving an order changes its date_modified): the live rows a destination holds are
 * compared with the API's count of live records (`StreamDefinition.count`, e.g. v2 `orders/count`, asked by
 * id range); where they disagree the range is halved (one count request per split) until it holds at most a
 * page of rows, and that page is listed (`min_id`/`max_id`): a held id the store no longer lists is gone.
 *
 * Request cost: one count request per run when nothing was archived; k archived records among N held rows
 * cost about k × (log2(N / page) + 1) requests (each a count or one page), never much more than listing every
 * id once (N / page pages).
 */
import type { Config } from "../config/load.ts";
import { RuntimeFailure } from "../errors.ts";
import type { ApiClient } from "./http.ts";
import { readCounts } from "./count-check.ts";
import { filterTimestamp, readPages } from "./paginate.ts";
import { channelScope, listRequest, pageSizeOf } from "./registry.ts";
import type { ArchivedRule, CountCheck, RootStream } from "./types.ts";

/** The live rows (not marked deleted) a destination holds for a stream keyed by one integer id. */
export interface HeldIds {
  /** The smallest and largest live id held, or undefined when none is. */
  bounds(): Promise<[number, number] | undefined>;
  /**
   * How many live ids are held in [lo, hi] (an id held in several rows, as an append-mode table keeps its
   * versions, counts once), and the groups (`CountCheck.groups.field`) their rows are in.
   */
  count(lo: number, hi: number): Promise<{ total: number; groups: Set<string> }>;
  /** The live ids held in [lo, hi], each once, ascending. */
  ids(lo: number, hi: number): Promise<number[]>;
}

/** What a sweep found and what it cost. */
export interface SweepResult {
  /** Held ids the store no longer lists, ascending. */
  gone: number[];
  requests: number;
  /** The held and counted live records over the held ids' range, as first compared. */
  held: number;
  counted: number;
}

/** A stream whose archived records can be swept: an `archived` rule with id filters, and a count endpoint. */
export function sweepable(stream: RootStream): stream is RootStream & { archived: Required<ArchivedRule>; count: CountCheck } {
  return !!stream.archived?.idFilters && !!stream.count && stream.primaryKey.length === 1;
}

/**
 * The held ids of `stream` the store no longer lists (see the file comment). The counts use the filters that
 * decide what a destination holds: the channel and start_date (records modified since); the listing only the
 * channel, so a record modified before start_date but still listed is not taken for gone.
 */
export async function sweepArchived(client: ApiClient, stream: RootStream, config: Config, held: HeldIds): Promise<SweepResult> {
  if (!sweepable(stream)) throw new RuntimeFailure(`stream '${stream.name}' has no archived rule with id filters and count endpoint`);
  const { idFilters } = stream.archived;
  const rule = stream.count;
  const before = client.requests;
  const scope = channelScope(stream, config.channel_id);
  const since: Record<string, string> = stream.cursor && !stream.cursor.firstRunIgnoresStartDate ? { [stream.cursor.filter]: filterTimestamp(config.start_date) } : {};
  const pageSize = pageSizeOf(stream, config.page_size);
  const range = (lo: number, hi: number) => ({ [idFilters.min]: lo, [idFilters.max]: hi });
  // Groups (order statuses) the destination holds no row of are left out of the count: a status the list never
  // returns (Incomplete orders, on some stores) is counted but never held, and would hide an archived order.
  const bounds = await held.bounds();
  if (!bounds) return { gone: [], requests: 0, held: 0, counted: 0 };
  const heldGroups = (await held.count(bounds[0], bounds[1])).groups;
  const counted = async (lo: number, hi: number): Promise<number> => {
    const counts = await readCounts(client, stream.name, rule, { ...scope, ...since, ...range(lo, hi) });
    if (!rule.groups) return counts.total;
    let sum = 0;
    for (const [id, group] of counts.groups) if (heldGroups.has(id)) sum += group.count;
    return sum;
  };
  const gone: number[] = [];
  const sweep = async (lo: number, hi: number, live: number, heldHere: number): Promise<void> => {
    if (heldHere <= live) return;
    if (heldHere <= pageSize || lo === hi) {
      const listed = new Set<number>();
      const pages = readPages(client, { ...listRequest(stream, config.page_size, { ...stream.params, ...scope, ...range(lo, hi) }), key: stream.primaryKey });
      for await (const page of pages) for (const record of page) listed.add(Number(record[stream.primaryKey[0]]));
      for (const id of await held.ids(lo, hi)) if (!listed.has(id)) gone.push(id);
      return;
    }
    const mid = Math.floor((lo + hi) / 2);
    const left = await counted(lo, mid);
    await sweep(lo, mid, left, (await held.count(lo, mid)).total);
    await sweep(mid + 1, hi, live - left, (await held.count(mid + 1, hi)).total);
  };
  const [lo, hi] = bounds;
  const heldAll = (await held.count(lo, hi)).total;
  const live = await counted(lo, hi);
  await sweep(lo, hi, live, heldAll);
  return { gone: gone.sort((a, b) => a - b), requests: client.requests - before, held: heldAll, counted: live };
}
