/**
 * What the analytics views read: per source table, the columns they use and the SQL type each
 * is read as (cast explicitly, so the views work whatever type a release stored the column
 * with), and BigCommerce's order statuses with the group each one counts in.
 */

/** Money as the views compute it. */
export const MONEY = "DECIMAL(18,4)";

/** Source tables (stream tables of the data schema) and the columns the views read, with their types. */
export const SOURCES = {
  store: {
    name: "VARCHAR", timezone_name: "VARCHAR", currency: "VARCHAR", currency_symbol: "VARCHAR",
    currency_symbol_location: "VARCHAR", decimal_places: "BIGINT", decimal_separator: "VARCHAR", thousands_separator: "VARCHAR",
  },
  orders: {
    id: "BIGINT", customer_id: "BIGINT", date_created: "TIMESTAMPTZ", status_id: "BIGINT", channel_id: "BIGINT",
    is_deleted: "BOOLEAN", _deleted_at: "TIMESTAMPTZ", items_total: "BIGINT",
    subtotal_ex_tax: MONEY, shipping_cost_ex_tax: MONEY, total_tax: MONEY, total_inc_tax: MONEY,
    coupon_discount: MONEY, discount_amount: MONEY, refunded_amount: MONEY,
    currency_code: "VARCHAR", default_currency_code: "VARCHAR", store_default_currency_code: "VARCHAR",
    store_default_to_transactional_exchange_rate: "DECIMAL(24,10)",
    billing_address_email: "VARCHAR", billing_address_first_name: "VARCHAR", billing_address_last_name: "VARCHAR",
  },
  order_products: {
    id: "BIGINT", order_id: "BIGINT", product_id: "BIGINT", variant_id: "BIGINT", name: "VARCHAR", sku: "VARCHAR",
    type: "VARCHAR", brand: "VARCHAR", quantity: "BIGINT", quantity_refunded: "BIGINT",
    price_ex_tax: MONEY, total_ex_tax: MONEY, total_inc_tax: MONEY, refund_amount: MONEY,
  },
  order_products_applied_discounts: { _parent_id: "BIGINT", _parent_order_id: "BIGINT", amount: MONEY },
  order_products_product_options: {
    _parent_id: "BIGINT", _parent_order_id: "BIGINT", _index: "BIGINT", display_name: "VARCHAR", display_value: "VARCHAR",
  },
  products: { id: "BIGINT", name: "VARCHAR", brand_id: "BIGINT", categories: "BIGINT[]" },
  product_variants: { id: "BIGINT", sku: "VARCHAR" },
  brands: { id: "BIGINT", name: "VARCHAR" },
  categories: { category_id: "BIGINT", name: "VARCHAR" },
  customers: { id: "BIGINT", email: "VARCHAR", first_name: "VARCHAR", last_name: "VARCHAR" },
} as const satisfies Record<string, Record<string, string>>;

/** A source table's name. */
export type SourceName = keyof typeof SOURCES;

/** How an order status counts in the analytics. */
export type StatusGroup = "revenue" | "pending_payment" | "cancelled_declined" | "refunded" | "incomplete";

/**
 * BigCommerce's 15 order statuses (`status_id` 0–14, names as the Orders v2 API gives them)
 * and their group. Only `revenue` orders count as sales; a partially refunded order is
 * revenue with its refunds subtracted, a fully refunded one is not.
 */
export const ORDER_STATUS_GROUPS: ReadonlyArray<{ id: number; name: string; group: StatusGroup }> = [
  { id: 0, name: "Incomplete", group: "incomplete" },
  { id: 1, name: "Pending", group: "pending_payment" },
  { id: 2, name: "Shipped", group: "revenue" },
  { id: 3, name: "Partially Shipped", group: "revenue" },
  { id: 4, name: "Refunded", group: "refunded" },
  { id: 5, name: "Cancelled", group: "cancelled_declined" },
  { id: 6, name: "Declined", group: "cancelled_declined" },
  { id: 7, name: "Awaiting Payment", group: "pending_payment" },
  { id: 8, name: "Awaiting Pickup", group: "revenue" },
  { id: 9, name: "Awaiting Shipment", group: "revenue" },
  { id: 10, name: "Completed", group: "revenue" },
  { id: 11, name: "Awaiting Fulfillment", group: "revenue" },
  { id: 12, name: "Manual Verification Required", group: "pending_payment" },
  { id: 13, name: "Disputed", group: "pending_payment" },
  { id: 14, name: "Partially Refunded", group: "revenue" },
];
