/**
 * Declarative list filters: each endpoint names the query parameters it supports and how each
 * one tests a record. Date bounds are inclusive, at the second precision the store keeps.
 */
import type { Query } from "./query.ts";

/** Builds a record test from a query parameter, or undefined when the parameter is absent. */
export type FilterFactory<T> = (q: Query, param: string) => ((r: T) => boolean) | undefined;

/** `param=N`: equal to an integer field. */
export const intEq = <T>(get: (r: T) => number): FilterFactory<T> => (q, p) => {
  const v = q.int(p);
  return v === undefined ? undefined : (r) => get(r) === v;
};

/** `param=N`: at least N. */
export const intMin = <T>(get: (r: T) => number): FilterFactory<T> => (q, p) => {
  const v = q.num(p);
  return v === undefined ? undefined : (r) => get(r) >= v;
};

/** `param=N`: at most N. */
export const intMax = <T>(get: (r: T) => number): FilterFactory<T> => (q, p) => {
  const v = q.num(p);
  return v === undefined ? undefined : (r) => get(r) <= v;
};

/** `param=N`: greater than N. */
export const intGreater = <T>(get: (r: T) => number): FilterFactory<T> => (q, p) => {
  const v = q.num(p);
  return v === undefined ? undefined : (r) => get(r) > v;
};

/** `param=N`: less than N. */
export const intLess = <T>(get: (r: T) => number): FilterFactory<T> => (q, p) => {
  const v = q.num(p);
  return v === undefined ? undefined : (r) => get(r) < v;
};

/** `param=a,b`: the integer field is one of the values. */
export const intIn = <T>(get: (r: T) => number): FilterFactory<T> => (q, p) => {
  const v = q.intList(p);
  if (v === undefined) return undefined;
  const set = new Set(v);
  return (r) => set.has(get(r));
};

/** `param=a,b`: the integer field is none of the values. */
export const intNotIn = <T>(get: (r: T) => number): FilterFactory<T> => (q, p) => {
  const v = q.intList(p);
  if (v === undefined) return undefined;
  const set = new Set(v);
  return (r) => !set.has(get(r));
};

/** `param=a,b`: an integer-array field shares a value with the list. */
export const anyIn = <T>(get: (r: T) => readonly number[]): FilterFactory<T> => (q, p) => {
  const v = q.intList(p);
  if (v === undefined) return undefined;
  const set = new Set(v);
  return (r) => get(r).some((x) => set.has(x));
};

/** `param=text`: equal (case-insensitive). */
export const strEq = <T>(get: (r: T) => string): FilterFactory<T> => (q, p) => {
  const v = q.get(p);
  return v === undefined ? undefined : (r) => get(r).toLowerCase() === v.toLowerCase();
};

/** `param=a,b`: the string field is one of the values (case-insensitive). */
export const strIn = <T>(get: (r: T) => string): FilterFactory<T> => (q, p) => {
  const v = q.list(p);
  if (v === undefined) return undefined;
  const set = new Set(v.map((s) => s.toLowerCase()));
  return (r) => set.has(get(r).toLowerCase());
};

/** `param=text`: contains the text (SQL LIKE without wildcards, case-insensitive). */
export const strLike = <T>(get: (r: T) => string): FilterFactory<T> => (q, p) => {
  const v = q.get(p);
  if (v === undefined) return undefined;
  const needle = v.replace(/%/g, "").toLowerCase();
  return (r) => get(r).toLowerCase().includes(needle);
};

/** `param=date`: at or after (epoch-seconds field). */
export const dateMin = <T>(get: (r: T) => number): FilterFactory<T> => (q, p) => {
  const ms = q.date(p);
  return ms === undefined ? undefined : (r) => get(r) * 1000 >= ms;
};

/** `param=date`: at or before (epoch-seconds field). */
export const dateMax = <T>(get: (r: T) => number): FilterFactory<T> => (q, p) => {
  const ms = q.date(p);
  return ms === undefined ? undefined : (r) => get(r) * 1000 <= ms;
};

/** `param=date`: the same second (or, for a bare date, the same day). */
export const dateEq = <T>(get: (r: T) => number): FilterFactory<T> => (q, p) => {
  const raw = q.get(p);
  const ms = q.date(p);
  if (ms === undefined || raw === undefined) return undefined;
  const span = /^\d{4}-\d{2}-\d{2}$/.test(raw.trim()) ? 86_400_000 : 1000;
  return (r) => get(r) * 1000 >= ms && get(r) * 1000 < ms + span;
};

/** `param=true|false|1|0`. */
export const boolEq = <T>(get: (r: T) => boolean): FilterFactory<T> => (q, p) => {
  const v = q.get(p);
  if (v === undefined) return undefined;
  const want = v === "true" || v === "1";
  return (r) => get(r) === want;
};

/** Applies every filter whose parameter is present. */
export function applyFilters<T>(rows: readonly T[], q: Query, spec: Record<string, FilterFactory<T>>): T[] {
  const tests: Array<(r: T) => boolean> = [];
  for (const [param, factory] of Object.entries(spec)) {
    const test = factory(q, param);
    if (test) tests.push(test);
  }
  return tests.length === 0 ? rows.slice() : rows.filter((r) => tests.every((t) => t(r)));
}

/** A sort key: compared element by element (numbers numerically, strings by code unit). */
export type SortKey = ReadonlyArray<number | string>;

/** Compares two sort keys. */
export function compareKeys(a: SortKey, b: SortKey): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** How a list is ordered: a key (ending with the id, so the order is total) and a direction. */
export interface Ordering<T> {
  key: (r: T) => SortKey;
  desc: boolean;
}

/** Sorts in place by an ordering. */
export function sortRows<T>(rows: T[], ordering: Ordering<T>): T[] {
  const sign = ordering.desc ? -1 : 1;
  return rows.sort((a, b) => sign * compareKeys(ordering.key(a), ordering.key(b)));
}
