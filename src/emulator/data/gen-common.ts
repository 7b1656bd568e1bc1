/** Shared generator context: the timeline, id counters and address drawing. */
import { Rng } from "../prng.ts";
import type { Address } from "./types.ts";
import { COMPANIES, FIRST_NAMES, INTL_PLACES, LAST_NAMES, STREETS, US_PLACES } from "./words.ts";

/** One day in seconds. */
export const DAY = 86_400;

/** The end of the generated history: 2025-06-01T00:00:00Z. Records are dated up to here. */
export const REFERENCE_DATE = Date.UTC(2025, 5, 1) / 1000;

/** How far back the history reaches (about two years). */
export const HISTORY_DAYS = 730;

/** What every generator step needs: the seed, the timeline, and the next free id of each kind. */
export interface GenContext {
  seed: string | number;
  /** End of history, epoch seconds. */
  end: number;
  /** Start of history, epoch seconds. */
  start: number;
  /** A fresh random stream for one concern; the same name always gives the same stream. */
  rng(stream: string): Rng;
}

/** Creates the generator context for a seed. */
export function genContext(seed: string | number, end = REFERENCE_DATE): GenContext {
  return { seed, end, start: end - HISTORY_DAYS * DAY, rng: (stream) => new Rng(seed, stream) };
}

/** The i-th of n instants spread evenly (with jitter) over [from, to): increasing in i. */
export function spread(rng: Rng, i: number, n: number, from: number, to: number): number {
  const step = (to - from) / Math.max(1, n);
  return Math.floor(from + (i + rng.float() * 0.999) * step);
}

/** `at` plus a whole number of days drawn from [0, maxDays], no later than `until`: a record's later date (modified after created). */
export function daysAfter(rng: Rng, at: number, maxDays: number, until = Infinity): number {
  return Math.min(at + rng.int(0, maxDays) * DAY, until);
}

/** A person's name pair. */
export function drawName(rng: Rng): { first: string; last: string } {
  return { first: rng.pick(FIRST_NAMES), last: rng.pick(LAST_NAMES) };
}

/** An email address unique by `n`. */
export function emailFor(first: string, last: string, n: number): string {
  return `${first}.${last}${n}@example.com`.toLowerCase().replace(/'/g, "");
}

/** A phone number. */
export function drawPhone(rng: Rng): string {
  return `555-${rng.int(100, 999)}-${rng.int(1000, 9999)}`;
}

/** A postal address for a person (US four times in five). */
export function drawAddress(rng: Rng, first: string, last: string, email: string): Address {
  const company = rng.chance(0.15) ? rng.pick(COMPANIES) : "";
  const street = `${rng.int(1, 999)} ${rng.pick(STREETS)}`;
  const street2 = rng.chance(0.1) ? `Suite ${rng.int(100, 999)}` : "";
  const phone = rng.chance(0.8) ? drawPhone(rng) : "";
  if (rng.chance(0.8)) {
    const [city, state, , zip] = rng.pick(US_PLACES);
    return {
      first_name: first, last_name: last, company, street_1: street, street_2: street2, city, state,
      zip: `${zip}${rng.int(10, 99)}`, country: "United States", country_iso2: "US", phone, email,
    };
  }
  const [city, state, country, iso2, zip] = rng.pick(INTL_PLACES);
  return {
    first_name: first, last_name: last, company, street_1: street, street_2: street2, city, state, zip,
    country, country_iso2: iso2, phone, email,
  };
}

/** An IPv4 address from the documentation ranges. */
export function drawIp(rng: Rng): string {
  return `${rng.pick(["203.0.113", "198.51.100", "192.0.2"])}.${rng.int(1, 254)}`;
}

/**
 * Gives `count` of the records (those created before `at`) the same modification instant:
 * a bulk update, so lists sorted by date_modified have runs of ties.
 */
export function bulkTouch<T extends { created: number; modified: number }>(rng: Rng, records: T[], count: number, at: number): void {
  for (const i of bulkTouched(rng, records.length, (i) => records[i]!.created, count, at)) records[i]!.modified = Math.max(records[i]!.modified, at);
}

/** `bulkTouch` over records held by position: the positions to give the instant `at`, drawn the same way. */
export function bulkTouched(rng: Rng, length: number, created: (i: number) => number, count: number, at: number): number[] {
  const eligible: number[] = [];
  for (let i = 0; i < length; i++) if (created(i) <= at) eligible.push(i);
  return rng.sample(eligible, count);
}
