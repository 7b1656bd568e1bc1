/**
 * What the HTML report shows, read from the analytics views (docs/analytics.md) and the
 * `_loads` history of a loaded DuckDB file. Every figure comes from a view, so the report and
 * a user's own queries agree.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { analyticsSchema } from "../destinations/duckdb/analytics.ts";
import { LOADS_TABLE } from "../destinations/duckdb/bookkeeping.ts";
import { ident, literal, qualified } from "../destinations/duckdb/sql.ts";
import { InputError } from "../errors.ts";

type Row = Record<string, unknown>;

/** The store's identity and money conventions. */
export interface StoreInfo {
  name: string | null;
  timezone: string;
  currency: string | null;
  decimals: number;
}

/** Headline figures over revenue orders (refund rate also over fully refunded ones). */
export interface Kpis {
  netRevenue: number;
  orders: number;
  averageOrderValue: number | null;
  customers: number;
  repeatCustomers: number;
  gross: number;
  refunds: number;
  /** First and last store-local day with a revenue order. */
  from: string | null;
  to: string | null;
}

/** One bar of the revenue chart. */
export interface Period {
  start: string;
  netRevenue: number;
  orders: number;
}

/** One load of `_loads`, with its per-stream outcome and per-table row counts. */
export interface LoadEntry {
  loadId: string;
  startedAt: string;
  endedAt: string | null;
  status: string;
  rows: number;
  requests: number;
  streams: Record<string, { status?: string; records?: number; reason?: string }>;
  tables: Record<string, number>;
  error: string | null;
}

/** Everything the report shows. */
export interface ReportData {
  schema: string;
  store: StoreInfo;
  /** Stream tables present in the file (a section whose stream is missing says so). */
  tables: Map<string, number>;
  kpis: Kpis;
  /** All orders (any status): first and last store-local day. */
  loadedRange: { from: string | null; to: string | null; orders: number };
  granularity: "week" | "month";
  revenue: Period[];
  statuses: Array<{ statusId: number; status: string; group: string; orders: number; gross: number }>;
  topProducts: Array<{ name: string; brand: string | null; units: number; orders: number; netRevenue: number }>;
  topCustomers: Array<{ name: string | null; guest: boolean; orders: number; first: string; last: string; netRevenue: number }>;
  cohorts: Array<{ cohort: string; offset: number; customers: number; retention: number }>;
  loads: LoadEntry[];
}

const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
const str = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

function parseJson(value: unknown): Record<string, unknown> {
  if (typeof value !== "string") return {};
  try {
    const parsed = JSON.parse(value);
    return parsed && typeof parsed === "object" ? parsed as Record<string, unknown> : {};
  } catch {
    return {};
  }
}

/** A load's per-table counts (`_loads.tables`): rows written (inserted + updated) per table. */
function tableCounts(value: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [table, summary] of Object.entries(parseJson(value))) {
    const s = summary as { inserted?: number; updated?: number; rows?: number } | number;
    out[table] = typeof s === "number" ? s : num(s?.inserted) + num(s?.updated);
  }
  return out;
}

/** Reads the report's data; bad input when the file has no analytics views yet. */
export async function readReportData(connection: DuckDBConnection, schema: string): Promise<ReportData> {
  const query = async (sql: string): Promise<Row[]> => (await connection.runAndReadAll(sql)).getRowObjectsJson() as Row[];
  const a = analyticsSchema(schema);
  const A = ident(a);
  const objects = await query(
    `SELECT table_schema AS s, table_name AS t FROM information_schema.tables
     WHERE table_catalog = current_database() AND table_schema IN (${literal(schema)}, ${literal(a)})`,
  );
  const views = new Set(objects.filter((o) => o.s === a).map((o) => String(o.t)));
  if (!views.has("orders") || !views.has("store_settings")) {
    if (!objects.some((o) => o.s === schema)) throw new InputError(`no schema ${schema} in this file (give --schema NAME: the schema of the load)`);
    throw new InputError(`no analytics views (${a}) in this file: run \`tap-bigcommerce load\` once with this version, which creates them`);
  }
  const tables = new Map<string, number>();
  for (const o of objects.filter((o) => o.s === schema && !String(o.t).startsWith("_"))) {
    const [row] = await query(`SELECT count(*) AS n FROM ${qualified(schema, String(o.t))}`);
    tables.set(String(o.t), num(row.n));
  }

  const [settings] = await query(`SELECT * FROM ${A}.store_settings`);
  const store: StoreInfo = {
    name: str(settings?.store_name),
    timezone: str(settings?.timezone) ?? "UTC",
    currency: str(settings?.currency_code),
    decimals: settings?.decimal_places === null || settings?.decimal_places === undefined ? 2 : num(settings.decimal_places),
  };

  const [k] = await query(`SELECT
      count(*) FILTER (WHERE is_revenue) AS orders,
      coalesce(sum(net_revenue) FILTER (WHERE is_revenue), 0) AS net,
      coalesce(sum(gross_revenue) FILTER (WHERE status_group IN ('revenue', 'refunded')), 0) AS gross,
      coalesce(sum(refunds) FILTER (WHERE status_group IN ('revenue', 'refunded')), 0) AS refunds,
      min(order_date) FILTER (WHERE is_revenue) AS first_day, max(order_date) FILTER (WHERE is_revenue) AS last_day,
      min(order_date) AS loaded_from, max(order_date) AS loaded_to, count(*) AS all_orders
    FROM ${A}.orders`);
  const [c] = await query(`SELECT count(*) AS customers, count(*) FILTER (WHERE is_repeat) AS repeat FROM ${A}.customer_summary`);
  const kpis: Kpis = {
    netRevenue: num(k.net), orders: num(k.orders), averageOrderValue: num(k.orders) > 0 ? num(k.net) / num(k.orders) : null,
    customers: num(c.customers), repeatCustomers: num(c.repeat), gross: num(k.gross), refunds: num(k.refunds),
    from: str(k.first_day), to: str(k.last_day),
  };
  const spanDays = kpis.from && kpis.to ? (Date.parse(kpis.to) - Date.parse(kpis.from)) / 86_400_000 : 0;
  const granularity = spanDays <= 190 ? "week" : "month";
  const column = granularity === "week" ? "order_week" : "order_month";
  const revenue = (await query(
    `SELECT ${column} AS start, sum(net_revenue) AS net, count(*) AS orders FROM ${A}.orders WHERE is_revenue GROUP BY 1 ORDER BY 1`,
  )).map((r) => ({ start: String(r.start), netRevenue: num(r.net), orders: num(r.orders) }));

  const statuses = (await query(
    `SELECT status_id, status, status_group, count(*) AS orders, sum(gross_revenue) AS gross FROM ${A}.orders GROUP BY ALL ORDER BY orders DESC, status_id`,
  )).map((r) => ({ statusId: num(r.status_id), status: String(r.status), group: String(r.status_group), orders: num(r.orders), gross: num(r.gross) }));
  const topProducts = (await query(
    `SELECT product_name, brand_name, units, orders, net_revenue FROM ${A}.product_performance ORDER BY net_revenue DESC, units DESC LIMIT 10`,
  )).map((r) => ({ name: String(r.product_name), brand: str(r.brand_name), units: num(r.units), orders: num(r.orders), netRevenue: num(r.net_revenue) }));
  const topCustomers = (await query(
    `SELECT name, is_guest, orders, first_order_date, last_order_date, lifetime_net_revenue FROM ${A}.customer_summary
     ORDER BY lifetime_net_revenue DESC, orders DESC LIMIT 10`,
  )).map((r) => ({
    name: str(r.name), guest: r.is_guest === true, orders: num(r.orders), first: String(r.first_order_date), last: String(r.last_order_date),
    netRevenue: num(r.lifetime_net_revenue),
  }));
  const cohorts = (await query(
    `SELECT cohort_month, months_since_first_order AS k, cohort_customers, retention FROM ${A}.monthly_cohorts
     WHERE cohort_month IN (SELECT DISTINCT cohort_month FROM ${A}.monthly_cohorts ORDER BY cohort_month DESC LIMIT 12)
       AND months_since_first_order <= 11`,
  )).map((r) => ({ cohort: String(r.cohort_month), offset: num(r.k), customers: num(r.cohort_customers), retention: num(r.retention) }));

  const loads = objects.some((o) => o.s === schema && o.t === LOADS_TABLE)
    ? (await query(
      `SELECT load_id, started_at, ended_at, status, rows, requests, CAST(streams AS VARCHAR) AS streams, CAST(tables AS VARCHAR) AS tables, error
       FROM ${qualified(schema, LOADS_TABLE)} ORDER BY started_at DESC LIMIT 20`,
    )).map((r): LoadEntry => ({
      loadId: String(r.load_id), startedAt: String(r.started_at), endedAt: str(r.ended_at), status: String(r.status), rows: num(r.rows),
      requests: num(r.requests), streams: parseJson(r.streams) as LoadEntry["streams"], tables: tableCounts(r.tables), error: str(r.error),
    }))
    : [];
  return {
    schema, store, tables, kpis, granularity, revenue, statuses, topProducts, topCustomers, cohorts, loads,
    loadedRange: { from: str(k.loaded_from), to: str(k.loaded_to), orders: num(k.all_orders) },
  };
}
