/**
 * Checking a full read against the API's own count (`StreamDefinition.count`, e.g. v2
 * `orders/count`): asked with the list's filters before and after the read, compared group
 * by group (order statuses). A shortfall within what changed meanwhile is logged; a group
 * the list never returned, while it returned others, is a named difference (a known quirk,
 * reported, not fatal); any other shortfall (an empty list included) is for the caller to
 * re-read once, then to fail on.
 */
import { RuntimeFailure } from "../errors.ts";
import { counted } from "../plural.ts";
import type { ApiClient } from "./http.ts";
import { valueAt } from "./paths.ts";
import type { CountCheck } from "./types.ts";

/** What a count endpoint reported: the total and each group's name and count. */
export interface Counts {
  total: number;
  groups: Map<string, { name: string; count: number }>;
}

/** Asks a count endpoint with the list's filters. */
export async function readCounts(client: ApiClient, stream: string, rule: CountCheck, params: Record<string, string | number>): Promise<Counts> {
  const { body } = await client.get(rule.api, rule.path, params);
  const where = `stream '${stream}': ${rule.api}/${rule.path}`;
  const total = body && typeof body === "object" ? valueAt(body as Record<string, unknown>, rule.total) : undefined;
  if (typeof total !== "number") throw new RuntimeFailure(`${where} answered without a count at '${rule.total}', so the read cannot be checked`);
  const groups = new Map<string, { name: string; count: number }>();
  if (rule.groups) {
    const entries = valueAt(body as Record<string, unknown>, rule.groups.at);
    if (!Array.isArray(entries)) throw new RuntimeFailure(`${where} answered without the counts per group at '${rule.groups.at}'`);
    for (const entry of entries as Record<string, unknown>[]) {
      groups.set(String(entry[rule.groups.id]), { name: String(entry[rule.groups.name] ?? ""), count: Number(entry[rule.groups.count] ?? 0) });
    }
  }
  return { total, groups };
}

/** Counts with nothing in them, to add the counts of a stream's cursor windows to. */
export function noCounts(): Counts {
  return { total: 0, groups: new Map() };
}

/** Adds `more` into `sum`: windows read apart, checked together. */
export function addCounts(sum: Counts, more: Counts): void {
  sum.total += more.total;
  for (const [id, group] of more.groups) {
    const have = sum.groups.get(id);
    sum.groups.set(id, { name: have?.name || group.name, count: (have?.count ?? 0) + group.count });
  }
}

/** Rows read, in all and per group. */
export class Tally {
  total = 0;
  readonly groups = new Map<string, number>();
  constructor(readonly field?: string) {}

  /** Counts the records of a page. */
  add(records: readonly Record<string, unknown>[]): void {
    this.total += records.length;
    if (!this.field) return;
    for (const record of records) {
      const group = String(record[this.field]);
      this.groups.set(group, (this.groups.get(group) ?? 0) + 1);
    }
  }

  /** Adds another tally (a window's) into this one. */
  merge(other: Tally): void {
    this.total += other.total;
    for (const [group, n] of other.groups) this.groups.set(group, (this.groups.get(group) ?? 0) + n);
  }
}

/** A group (or, without groups, the whole list: id "") that came up short. */
export interface Shortfall {
  id: string;
  label: string;
  expected: number;
  read: number;
  changed: number;
}

/** The outcome of a comparison. */
export interface CountVerdict {
  /** Groups the list never returned although the count has rows in them: named, not fatal. */
  differences: string[];
  /** Shortfalls within what changed while the list was read: logged. */
  tolerated: string[];
  /** Shortfalls beyond that. */
  short: Shortfall[];
}

/** Compares the rows read with the counts taken before and after the read. */
export function compareCounts(stream: string, rule: CountCheck, before: Counts, after: Counts, read: Tally): CountVerdict {
  const verdict: CountVerdict = { differences: [], tolerated: [], short: [] };
  const endpoint = `${rule.api}/${rule.path}`;
  const judge = (id: string, label: string, b: number, a: number, r: number, returned: boolean) => {
    const expected = Math.max(a, b);
    const changed = Math.abs(a - b);
    const missing = expected - r;
    if (missing <= 0) return;
    if (!returned && rule.groups) {
      verdict.differences.push(`${endpoint} counts ${counted(expected, "row")} ${label} that the list never returned`);
    } else if (missing <= changed) {
      verdict.tolerated.push(`stream '${stream}': read ${counted(r, "row")} ${label} where ${endpoint} counted ${b} before and ${a} after the read: the ${missing} missing changed meanwhile`);
    } else verdict.short.push({ id, label, expected, read: r, changed });
  };
  if (!rule.groups) {
    judge("", "in all", before.total, after.total, read.total, true);
    return verdict;
  }
  const ids = new Set([...before.groups.keys(), ...after.groups.keys()]);
  for (const id of ids) {
    const name = after.groups.get(id)?.name ?? before.groups.get(id)?.name ?? "";
    const label = `in ${rule.groups.field} ${id}${name ? ` (${name})` : ""}`;
    // A list that returned nothing at all is not leaving a status out: its rows are missing.
    const returned = read.groups.has(id) || read.total === 0;
    judge(id, label, before.groups.get(id)?.count ?? 0, after.groups.get(id)?.count ?? 0, read.groups.get(id) ?? 0, returned);
  }
  return verdict;
}

/** The error for a shortfall: one a re-read (of its group) did not make good, or, without `again`, one not read again. */
export function shortfallError(stream: string, rule: CountCheck, short: Shortfall, again?: { reread: number; recounted: number }): RuntimeFailure {
  const retried = again ? `; read again, it returned ${again.reread} of ${again.recounted}` : "";
  return new RuntimeFailure(
    `stream '${stream}': the list returned ${counted(short.read, "row")} ${short.label} but ${rule.api}/${rule.path} counts ${short.expected}` +
      `${retried}: rows are missing from the list`,
  );
}
