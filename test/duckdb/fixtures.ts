/**
 * Fixtures for the DuckDB destination tests: realistic table schemas (orders → line items →
 * their applied discounts), rows shaped as the engine normalises them, and a small
 * deterministic source that emits SyncEvents like the engine does — resuming from a
 * bookmark inclusively, so the page at the boundary is read again.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import type { Row, State, SyncEvent, TableSchema, WriteMode } from "../../src/engine/types.ts";
import { openDatabase } from "../../src/destinations/duckdb/connection.ts";
import { batchOfRows } from "../../src/engine/table-rows.ts";

/** A fresh temp directory, removed by the returned cleanup. */
export function tempDir(): { dir: string; file: (name?: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "tap-bc-duckdb-"));
  return { dir, file: (name = "store.duckdb") => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The orders table (v2 orders, flattened). */
export function ordersTable(writeMode: WriteMode = "merge"): TableSchema {
  return {
    name: "orders",
    stream: "orders",
    primaryKey: ["id"],
    cursor: "date_modified",
    writeMode,
    depth: 0,
    columns: [
      { name: "id", type: "integer" },
      { name: "customer_id", type: "integer" },
      { name: "date_created", type: "timestamp" },
      { name: "date_modified", type: "timestamp" },
      { name: "status", type: "string" },
      { name: "subtotal_ex_tax", type: "decimal" },
      { name: "total_inc_tax", type: "decimal" },
      { name: "items_total", type: "integer" },
      { name: "currency_exchange_rate", type: "number" },
      { name: "is_deleted", type: "boolean" },
      { name: "delivery_date", type: "date" },
      { name: "billing_address_email", type: "string" },
      { name: "billing_address_form_fields", type: "json" },
      { name: "coupon_codes", type: { list: "string" } },
      { name: "_rescued", type: "json" },
    ],
  };
}

/** Line items: a child stream of orders. */
export function orderProductsTable(writeMode: WriteMode = "merge"): TableSchema {
  return {
    name: "order_products",
    stream: "order_products",
    parent: { table: "orders", keys: { order_id: "id" } },
    primaryKey: ["id", "order_id"],
    writeMode,
    depth: 0,
    columns: [
      { name: "id", type: "integer" },
      { name: "order_id", type: "integer" },
      { name: "product_id", type: "integer" },
      { name: "name", type: "string" },
      { name: "quantity", type: "integer" },
      { name: "base_price", type: "decimal" },
      { name: "product_options", type: "json" },
      { name: "_rescued", type: "json" },
    ],
  };
}

/** Discounts applied to a line item: a split child table of order_products. */
export function discountsTable(writeMode: WriteMode = "merge"): TableSchema {
  return {
    name: "order_products_applied_discounts",
    stream: "order_products",
    parent: { table: "order_products", keys: { _parent_id: "id", _parent_order_id: "order_id" } },
    primaryKey: ["_parent_id", "_parent_order_id", "_index"],
    writeMode,
    depth: 1,
    columns: [
      { name: "_parent_id", type: "integer" },
      { name: "_parent_order_id", type: "integer" },
      { name: "_index", type: "integer" },
      { name: "name", type: "string" },
      { name: "amount", type: "decimal" },
      { name: "_rescued", type: "json" },
    ],
  };
}

/** An order as the data set holds it: the order row and its line items with their discounts. */
export interface OrderFixture {
  order: Row;
  products: Row[];
  discounts: Row[];
}

const BASE = Date.UTC(2024, 2, 1, 10, 0, 0);

/** A deterministic order, modified at minute `version` after the base time. */
export function order(id: number, version = 0, productCount = 2): OrderFixture {
  const modified = new Date(BASE + id * 60_000 + version * 86_400_000).toISOString();
  const products: Row[] = [];
  const discounts: Row[] = [];
  for (let p = 1; p <= productCount; p++) {
    const productId = id * 100 + p;
    products.push({
      id: productId,
      order_id: id,
      product_id: 77 + p,
      name: `Widget ${p}${version ? ` v${version}` : ""}`,
      quantity: p + version,
      base_price: `${(12.5 * p).toFixed(4)}`,
      product_options: [{ display_name: "Size", value: p % 2 ? "M" : "L" }],
      _rescued: null,
    });
    discounts.push({ _parent_id: productId, _parent_order_id: id, _index: 0, name: "Spring sale", amount: "1.2500", _rescued: null });
  }
  return {
    order: {
      id,
      customer_id: 1000 + id,
      date_created: new Date(BASE + id * 60_000).toISOString(),
      date_modified: modified,
      status: version ? "Shipped" : "Awaiting Fulfillment",
      subtotal_ex_tax: `${(25 * id).toFixed(4)}`,
      total_inc_tax: `${(27.5 * id + version).toFixed(4)}`,
      items_total: productCount,
      currency_exchange_rate: 1.0825,
      is_deleted: false,
      delivery_date: "2024-03-10",
      billing_address_email: `buyer${id}@example.com`,
      billing_address_form_fields: [{ name: "VAT", value: `GB${id}` }],
      coupon_codes: id % 2 ? ["SPRING", "VIP"] : [],
      _rescued: null,
    },
    products,
    discounts,
  };
}

/** Orders 1..n (version 0). */
export function orders(n: number, productCount = 2): OrderFixture[] {
  return Array.from({ length: n }, (_, i) => order(i + 1, 0, productCount));
}

/** Options of the fixture source. */
export interface SourceOptions {
  /** Stored state to resume from (the bookmark of `orders`). */
  state?: State;
  pageSize?: number;
  /** Emit the child tables (default true). */
  children?: boolean;
  /** Schemas to announce instead of the defaults. */
  tables?: TableSchema[];
  /** Called before each batch is yielded (index from 0). */
  beforeBatch?: (index: number) => void | Promise<void>;
  /** What `stream-start` says (default true: incremental). */
  incremental?: boolean;
  /** What `stream-end` says affirmed the read (default: nothing did). */
  proof?: string;
}

/**
 * Emits the events the engine would for the `orders` stream over `data`: records sorted by
 * `date_modified`, read from the bookmark inclusively (the records at the bookmark value
 * are read again), one batch per page with the state that covers it.
 */
export async function* source(data: OrderFixture[], options: SourceOptions = {}): AsyncGenerator<SyncEvent> {
  const pageSize = options.pageSize ?? 2;
  const state: State = structuredClone(options.state ?? { bookmarks: {} });
  const since = state.bookmarks.orders?.replication_key_value;
  const sorted = [...data]
    .sort((a, b) => String(a.order.date_modified).localeCompare(String(b.order.date_modified)) || Number(a.order.id) - Number(b.order.id))
    .filter((o) => since === undefined || String(o.order.date_modified) >= since);
  const withChildren = options.children ?? true;
  yield { type: "stream-start", stream: "orders", incremental: options.incremental ?? true, since };
  const tables = options.tables ?? (withChildren ? [ordersTable(), orderProductsTable(), discountsTable()] : [ordersTable()]);
  for (const table of tables) yield { type: "schema", table };
  let batches = 0;
  for (let start = 0; start < sorted.length; start += pageSize) {
    const page = sorted.slice(start, start + pageSize);
    const rows = new Map<string, Row[]>([["orders", page.map((o) => structuredClone(o.order))]]);
    const announced = new Set(tables.map((t) => t.name));
    if (withChildren && announced.has("order_products")) rows.set("order_products", page.flatMap((o) => structuredClone(o.products)));
    if (withChildren && announced.has("order_products_applied_discounts")) {
      rows.set("order_products_applied_discounts", page.flatMap((o) => structuredClone(o.discounts)));
    }
    state.currently_syncing = "orders";
    state.bookmarks.orders = { replication_key: "date_modified", replication_key_value: String(page.at(-1)!.order.date_modified) };
    await options.beforeBatch?.(batches++);
    yield batchOfRows("orders", rows, 0, structuredClone(state));
  }
  const proof = options.proof === undefined ? {} : { proof: options.proof };
  yield { type: "stream-end", stream: "orders", records: sorted.length, requests: Math.ceil(sorted.length / pageSize) + 1, ...proof };
  state.currently_syncing = null;
  yield batchOfRows("orders", new Map(), 0, structuredClone(state));
}

/** Events from a list. */
export async function* events(list: SyncEvent[]): AsyncGenerator<SyncEvent> {
  for (const event of list) yield event;
}

/** Runs a query on a DuckDB file (opened and closed around it); rows as JSON-friendly objects. */
export async function query(path: string, sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  try {
    await connection.run("SET TimeZone = 'UTC'");
    const reader = await connection.runAndReadAll(sql);
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Runs a query on a DuckDB file opened as our commands open it (read-only, under the fixed catalog name, so `bigcommerce.orders` resolves whatever the file is called). */
export async function queryAttached(path: string, sql: string): Promise<Record<string, unknown>[]> {
  const database = await openDatabase(path, { readOnly: true });
  try {
    return (await database.connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    database.close();
  }
}
