/** Helpers for Singer tests: a config for an emulator, catalogs with selections applied, JSON Schema validation. */
import { Ajv } from "ajv";
import * as ajvFormats from "ajv-formats";
import type { Emulator } from "../../src/emulator/index.ts";
import type { SingerMessage } from "./cli.ts";

/** The settings that point the tap at an emulator. */
export function emulatorSettings(emulator: Emulator, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    store_hash: emulator.storeHash,
    access_token: emulator.accessToken,
    start_date: "2000-01-01T00:00:00Z",
    api_url: emulator.url,
    ...extra,
  };
}

/** A store small enough to sync in well under a second, with every stream non-empty. */
export const SMALL_STORE = {
  orders: 40, customers: 10, products: 8, brands: 3, categories: 4, coupons: 3, giftCertificates: 2, promotions: 2, pages: 2, priceLists: 1,
};

/** Singer catalog shapes. */
export interface CatalogEntry {
  tap_stream_id: string;
  stream: string;
  schema: Record<string, unknown> & { properties: Record<string, unknown> };
  key_properties: string[];
  replication_key?: string;
  replication_method?: string;
  metadata: { breadcrumb: string[]; metadata: Record<string, unknown> }[];
}
/** A Singer catalog. */
export interface Catalog {
  streams: CatalogEntry[];
}

/** The root metadata of an entry. */
export function rootMetadata(entry: CatalogEntry): Record<string, unknown> {
  return entry.metadata.find((m) => m.breadcrumb.length === 0)!.metadata;
}

/** Sets `selected` on every stream (and property) the predicate names; the rest are deselected. */
export function selectStreams(catalog: Catalog, selected: (id: string) => boolean): Catalog {
  const copy = structuredClone(catalog);
  for (const entry of copy.streams) {
    const on = selected(entry.tap_stream_id);
    for (const m of entry.metadata) m.metadata.selected = on;
  }
  return copy;
}

/** An ajv instance that knows the formats Singer schemas use (`date-time`, `date`, `singer.decimal`). */
export function singerAjv(): Ajv {
  const ajv = new Ajv({ strict: true, allowUnionTypes: true, allErrors: true });
  const addFormats = ((ajvFormats as unknown as { default?: unknown }).default ?? ajvFormats) as (ajv: Ajv) => Ajv;
  addFormats(ajv);
  ajv.addFormat("singer.decimal", /^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$/);
  return ajv;
}

/** The messages, each with its index in the output. */
export function indexed(messages: SingerMessage[]): (SingerMessage & { index: number })[] {
  return messages.map((m, index) => ({ ...m, index }));
}

/** A record's primary key values as one comparable string. */
export function keyOf(record: Record<string, unknown>, keys: string[]): string {
  return JSON.stringify(keys.map((k) => record[k]));
}
