/**
 * Analytics views in `<schema>_analytics`, created or refreshed at the end of every load
 * (docs/analytics.md describes them column by column). They read the stream tables through
 * typed projections: every column they use is cast to the type in `SOURCES`, a column the
 * table lacks reads as NULL, and a table that was never loaded (its stream not selected) is
 * an empty stand-in with the same columns — so every view exists and answers, with no rows
 * where there is no data. Dates are the store's own: `store.timezone_name` at the time of the
 * refresh (UTC when the store stream was not loaded or the name is unknown to DuckDB).
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { MONEY, ORDER_STATUS_GROUPS, type SourceName, SOURCES } from "./analytics-sources.ts";
import { inTransaction } from "./connection.ts";
import { ident, literal, qualified } from "./sql.ts";
import { schemaColumns } from "./tables.ts";

/** The views, in the order they are created (later ones read earlier ones). */
export const ANALYTICS_VIEWS = [
  "order_status_groups", "store_settings", "orders", "order_lines", "daily_sales", "customer_summary", "monthly_cohorts",
  "product_performance",
] as const;

/** The schema of a data schema's analytics views. */
export function analyticsSchema(schema: string): string {
  return `${schema}_analytics`;
}

/** What a refresh did. */
export interface AnalyticsSummary {
  schema: string;
  /** The store time zone the dates are in. */
  timezone: string;
  /** Source tables not in the file (their streams were not loaded): the views read empty stand-ins for them. */
  missing: SourceName[];
  /** Why the time zone is UTC, when the store's could not be used. */
  note?: string;
}

/** A source table as a typed relation: the stored table with every used column cast, or an empty stand-in. */
function projection(schema: string, name: SourceName, stored: Set<string> | undefined): string {
  const columns = Object.entries(SOURCES[name]).map(([column, type]) =>
    stored?.has(column) ? `TRY_CAST(${ident(column)} AS ${type}) AS ${ident(column)}` : `CAST(NULL AS ${type}) AS ${ident(column)}`
  );
  return stored ? `(SELECT ${columns.join(", ")} FROM ${qualified(schema, name)})` : `(SELECT ${columns.join(", ")} WHERE false)`;
}

/** An amount of the order's currency in the store's default currency (`rate`: store default → transactional). */
function inStoreCurrency(amount: string, rate = "o.rate"): string {
  return `CAST(CASE WHEN ${rate} = 1 THEN ${amount} ELSE (${amount}) / ${rate} END AS ${MONEY})`;
}

/** The store's time zone, checked against DuckDB's ICU zones. */
async function storeTimezone(connection: DuckDBConnection, schema: string, hasStore: boolean): Promise<{ timezone: string; note?: string }> {
  if (!hasStore) return { timezone: "UTC", note: "the store stream was not loaded: dates are in UTC" };
  const reader = await connection.runAndReadAll(
    `SELECT CAST(timezone_name AS VARCHAR) FROM ${qualified(schema, "store")} WHERE nullif(trim(CAST(timezone_name AS VARCHAR)), '') IS NOT NULL LIMIT 1`,
  ).catch(() => undefined);
  const name = reader?.getRows()[0]?.[0];
  if (typeof name !== "string") return { timezone: "UTC", note: "the store has no timezone_name: dates are in UTC" };
  const known = await connection.runAndReadAll(`SELECT 1 FROM pg_timezone_names() WHERE name = ${literal(name)}`);
  if (known.currentRowCount === 0) return { timezone: "UTC", note: `DuckDB does not know the store's time zone ${name}: dates are in UTC` };
  return { timezone: name };
}

/** The SQL of each view, given the typed sources and the time zone. */
function viewSql(a: string, src: (name: SourceName) => string, timezone: string): Record<(typeof ANALYTICS_VIEWS)[number], string> {
  const tz = literal(timezone);
  const statuses = ORDER_STATUS_GROUPS.map((s) => `(${s.id}, ${literal(s.name)}, ${literal(s.group)})`).join(", ");
  return {
    order_status_groups: `SELECT CAST(status_id AS BIGINT) AS status_id, status, status_group, status_group = 'revenue' AS is_revenue
      FROM (VALUES ${statuses}) AS t(status_id, status, status_group)`,

    store_settings: `SELECT
        any_value(s.name) AS store_name,
        ${tz} AS timezone,
        coalesce(any_value(nullif(s.currency, '')),
          (SELECT any_value(coalesce(nullif(store_default_currency_code, ''), nullif(default_currency_code, ''))) FROM ${src("orders")})) AS currency_code,
        any_value(s.currency_symbol) AS currency_symbol,
        any_value(s.currency_symbol_location) AS currency_symbol_location,
        coalesce(any_value(s.decimal_places), 2) AS decimal_places,
        any_value(s.decimal_separator) AS decimal_separator,
        any_value(s.thousands_separator) AS thousands_separator
      FROM ${src("store")} AS s`,

    orders: `SELECT
        o.id AS order_id,
        nullif(o.customer_id, 0) AS customer_id,
        CASE WHEN coalesce(o.customer_id, 0) <> 0 THEN 'customer:' || o.customer_id
             WHEN o.email IS NOT NULL THEN 'guest:' || o.email
             ELSE 'order:' || o.id END AS customer_key,
        o.email,
        nullif(trim(concat_ws(' ', o.billing_address_first_name, o.billing_address_last_name)), '') AS billing_name,
        o.date_created AS created_at,
        timezone(${tz}, o.date_created) AS created_local,
        CAST(timezone(${tz}, o.date_created) AS DATE) AS order_date,
        CAST(date_trunc('week', timezone(${tz}, o.date_created)) AS DATE) AS order_week,
        CAST(date_trunc('month', timezone(${tz}, o.date_created)) AS DATE) AS order_month,
        o.status_id,
        coalesce(g.status, 'Unknown status ' || o.status_id) AS status,
        coalesce(g.status_group, 'other') AS status_group,
        coalesce(g.is_revenue, false) AS is_revenue,
        o.channel_id,
        coalesce(nullif(o.default_currency_code, ''), o.currency_code) AS order_currency,
        o.rate AS exchange_rate,
        coalesce(o.items_total, 0) AS items,
        ${inStoreCurrency("coalesce(o.subtotal_ex_tax, 0)")} AS subtotal_ex_tax,
        ${inStoreCurrency("coalesce(o.shipping_cost_ex_tax, 0)")} AS shipping_ex_tax,
        ${inStoreCurrency("coalesce(o.total_tax, 0)")} AS tax,
        ${inStoreCurrency("coalesce(o.coupon_discount, 0) + coalesce(o.discount_amount, 0)")} AS discounts,
        ${inStoreCurrency("coalesce(o.total_inc_tax, 0)")} AS gross_revenue,
        ${inStoreCurrency("coalesce(o.refunded_amount, 0)")} AS refunds,
        ${inStoreCurrency("coalesce(o.total_inc_tax, 0)")} - ${inStoreCurrency("coalesce(o.refunded_amount, 0)")} AS net_revenue
      FROM (
        SELECT *, lower(nullif(trim(billing_address_email), '')) AS email,
          coalesce(nullif(store_default_to_transactional_exchange_rate, 0), 1) AS rate
        FROM ${src("orders")}
      ) AS o
      LEFT JOIN ${a}.order_status_groups AS g ON g.status_id = o.status_id
      WHERE NOT coalesce(o.is_deleted, false) AND o._deleted_at IS NULL`,

    order_lines: `WITH
        discounts AS (
          SELECT _parent_id, _parent_order_id, sum(amount) AS amount FROM ${src("order_products_applied_discounts")} GROUP BY ALL),
        options AS (
          SELECT _parent_id, _parent_order_id, string_agg(display_name || ': ' || display_value, ', ' ORDER BY _index) AS variant_name
          FROM ${src("order_products_product_options")} GROUP BY ALL),
        products AS (SELECT * FROM ${src("products")}),
        product_categories AS (
          SELECT pc.id AS product_id, string_agg(DISTINCT c.name, ', ' ORDER BY c.name) AS category_names
          FROM (SELECT id, unnest(categories) AS category_id FROM products) AS pc
          JOIN ${src("categories")} AS c ON c.category_id = pc.category_id
          GROUP BY ALL)
      SELECT
        o.order_id, l.id AS line_id, o.order_date, o.order_week, o.order_month, o.status_group, o.is_revenue, o.customer_key,
        nullif(l.product_id, 0) AS product_id,
        nullif(l.variant_id, 0) AS variant_id,
        coalesce(p.name, l.name) AS product_name,
        opt.variant_name,
        coalesce(nullif(l.sku, ''), v.sku) AS sku,
        coalesce(b.name, nullif(l.brand, '')) AS brand_name,
        pc.category_names,
        l.type AS item_type,
        coalesce(l.quantity, 0) AS quantity,
        coalesce(l.quantity_refunded, 0) AS quantity_refunded,
        ${inStoreCurrency("coalesce(l.price_ex_tax, 0)", "o.exchange_rate")} AS unit_price_ex_tax,
        ${inStoreCurrency("coalesce(l.total_inc_tax, 0)", "o.exchange_rate")} AS gross_revenue,
        ${inStoreCurrency("coalesce(d.amount, 0)", "o.exchange_rate")} AS discounts,
        ${inStoreCurrency("coalesce(l.refund_amount, 0)", "o.exchange_rate")} AS refunds,
        ${inStoreCurrency("coalesce(l.total_inc_tax, 0)", "o.exchange_rate")} - ${inStoreCurrency("coalesce(d.amount, 0)", "o.exchange_rate")}
          - ${inStoreCurrency("coalesce(l.refund_amount, 0)", "o.exchange_rate")} AS net_revenue
      FROM ${src("order_products")} AS l
      JOIN ${a}.orders AS o ON o.order_id = l.order_id
      LEFT JOIN discounts AS d ON d._parent_id = l.id AND d._parent_order_id = l.order_id
      LEFT JOIN options AS opt ON opt._parent_id = l.id AND opt._parent_order_id = l.order_id
      LEFT JOIN products AS p ON p.id = l.product_id
      LEFT JOIN ${src("product_variants")} AS v ON v.id = l.variant_id
      LEFT JOIN ${src("brands")} AS b ON b.id = p.brand_id
      LEFT JOIN product_categories AS pc ON pc.product_id = l.product_id`,

    daily_sales: `SELECT
        order_date AS day,
        count(*) AS orders,
        sum(items) AS items,
        sum(gross_revenue) AS gross_revenue,
        sum(discounts) AS discounts,
        sum(refunds) AS refunds,
        sum(net_revenue) AS net_revenue,
        CAST(sum(net_revenue) / count(*) AS ${MONEY}) AS average_order_value
      FROM ${a}.orders WHERE is_revenue GROUP BY order_date`,

    customer_summary: `SELECT
        o.customer_key,
        any_value(o.customer_id) AS customer_id,
        any_value(o.customer_id) IS NULL AS is_guest,
        coalesce(any_value(c.email), arg_max(o.email, o.created_at)) AS email,
        coalesce(any_value(nullif(trim(concat_ws(' ', c.first_name, c.last_name)), '')), arg_max(o.billing_name, o.created_at)) AS name,
        min(o.order_date) AS first_order_date,
        max(o.order_date) AS last_order_date,
        CAST(date_trunc('month', min(o.order_date)) AS DATE) AS cohort_month,
        count(*) AS orders,
        sum(o.gross_revenue) AS lifetime_gross_revenue,
        sum(o.net_revenue) AS lifetime_net_revenue,
        CAST(sum(o.net_revenue) / count(*) AS ${MONEY}) AS average_order_value,
        count(*) > 1 AS is_repeat
      FROM ${a}.orders AS o
      LEFT JOIN ${src("customers")} AS c ON c.id = o.customer_id
      WHERE o.is_revenue
      GROUP BY o.customer_key`,

    monthly_cohorts: `WITH
        activity AS (
          SELECT customer_key, order_month, count(*) AS orders, sum(net_revenue) AS net_revenue
          FROM ${a}.orders WHERE is_revenue GROUP BY ALL),
        cohorts AS (SELECT cohort_month, count(*) AS cohort_customers FROM ${a}.customer_summary GROUP BY ALL)
      SELECT
        s.cohort_month,
        CAST(datediff('month', s.cohort_month, a.order_month) AS BIGINT) AS months_since_first_order,
        a.order_month AS month,
        any_value(k.cohort_customers) AS cohort_customers,
        count(*) AS active_customers,
        count(*) / any_value(k.cohort_customers) AS retention,
        sum(a.orders) AS orders,
        sum(a.net_revenue) AS net_revenue
      FROM activity AS a
      JOIN ${a}.customer_summary AS s USING (customer_key)
      JOIN cohorts AS k USING (cohort_month)
      GROUP BY s.cohort_month, a.order_month`,

    product_performance: `SELECT
        product_id,
        product_name,
        any_value(brand_name) AS brand_name,
        any_value(category_names) AS category_names,
        count(DISTINCT order_id) AS orders,
        sum(quantity) AS units,
        sum(quantity_refunded) AS units_refunded,
        sum(gross_revenue) AS gross_revenue,
        sum(discounts) AS discounts,
        sum(refunds) AS refunds,
        sum(net_revenue) AS net_revenue,
        min(order_date) AS first_sold,
        max(order_date) AS last_sold
      FROM ${a}.order_lines WHERE is_revenue
      GROUP BY product_id, product_name`,
  };
}

/** Creates or replaces the analytics views of `schema` (one transaction). */
export async function refreshAnalytics(connection: DuckDBConnection, schema: string): Promise<AnalyticsSummary> {
  const stored = new Map<SourceName, Set<string>>();
  const missing: SourceName[] = [];
  const tables = await schemaColumns(connection, schema);
  for (const name of Object.keys(SOURCES) as SourceName[]) {
    const columns = tables.get(name);
    if (columns) stored.set(name, new Set(columns.keys()));
    else missing.push(name);
  }
  const { timezone, note } = await storeTimezone(connection, schema, stored.has("store"));
  const target = analyticsSchema(schema);
  const a = ident(target);
  const sql = viewSql(a, (name) => projection(schema, name, stored.get(name)), timezone);
  await inTransaction(connection, async () => {
    await connection.run(`CREATE SCHEMA IF NOT EXISTS ${a}`);
    for (const view of ANALYTICS_VIEWS) await connection.run(`CREATE OR REPLACE VIEW ${a}.${ident(view)} AS ${sql[view]}`);
  });
  return { schema: target, timezone, missing, note };
}
