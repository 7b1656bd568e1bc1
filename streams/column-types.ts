/**
 * The reviewed override table for column types. A column's type comes from its spec
 * (`schemas/`); these rules decide where the spec says too little or too loosely. One
 * exception per column first, then the first name rule whose name and spec kind match
 * (`SpecKind` in src/engine/types.ts). Everything here carries its reason; docs/duckdb.md
 * shows the table. A new stream needs nothing here: its columns get their types from its
 * schema and these rules.
 */
import type { ColumnTypeRules } from "../src/engine/types.ts";

/** Spec kinds that say nothing exact about a number: a rule may decide. */
const LOOSE_NUMBER = ["number", "number|string", "decimal-string", "missing", "undeclared"] as const;

/** Money, exchange rates, ids and counts, and the columns the spec gets wrong. */
export const columnTypeRules: ColumnTypeRules = {
  exceptions: [
    {
      table: "orders",
      column: "payment_provider_id",
      type: "string",
      reason: "the spec allows a string or a number; providers are named by text ids (`braintree`), so text keeps both",
    },
    {
      table: "orders",
      column: "custom_status",
      type: "string",
      added: true,
      reason: "v2 orders carry the store's own name of the status; the spec of GET /orders leaves it out",
    },
    {
      table: "customer_groups",
      column: "date_created",
      type: "timestamp",
      reason: "the spec types it as a plain string and shows `2023-07-17 06:30:41` (no zone): read as UTC",
    },
    {
      table: "customer_groups",
      column: "date_modified",
      type: "timestamp",
      reason: "as customer_groups.date_created",
    },
    {
      table: "gift_certificates",
      column: "purchase_date",
      type: "timestamp",
      reason: "Unix seconds in a string (the spec shows `\"1603306\"`)",
    },
    {
      table: "gift_certificates",
      column: "expiry_date",
      type: "timestamp",
      reason: "Unix seconds in a string, empty when the certificate does not expire",
    },
    {
      table: "products",
      column: "date_last_imported",
      type: "timestamp",
      reason: "a date the spec types as a plain string; empty when the product was never imported",
    },
    {
      table: "product_images",
      column: "image_file",
      type: "string",
      added: true,
      reason: "the image's file name; sent by the API, left out of the spec's response schema",
    },
    {
      table: "product_variants",
      column: "map_price",
      type: "decimal",
      added: true,
      reason: "money (minimum advertised price); sent by GET /catalog/variants, left out of its spec",
    },
    {
      table: "product_variants",
      column: "calculated_weight",
      type: "number",
      added: true,
      reason: "a measure, like `weight`; sent by GET /catalog/variants, left out of its spec",
    },
    {
      table: "product_variants",
      column: "image_url",
      type: "string",
      added: true,
      reason: "sent by GET /catalog/variants, left out of its spec",
    },
    {
      table: "product_variants",
      column: "mpn",
      type: "string",
      added: true,
      reason: "manufacturer part number, text like the product's `mpn`; left out of the variants spec",
    },
    {
      table: "product_variants",
      column: "gtin",
      type: "string",
      added: true,
      reason: "global trade item number, text like the product's `gtin`; left out of the variants spec",
    },
    {
      table: "order_statuses",
      column: "sort_order",
      type: "integer",
      added: true,
      reason: "the statuses' position in the control panel; the spec shows it on the statuses of GET /orders/count but leaves it out of GET /order_statuses",
    },
    {
      table: "shipping_methods",
      column: "settings_rate",
      type: "decimal",
      reason: "money (a flat or per-item shipping rate) the spec types as a plain number",
    },
    {
      table: "shipping_methods",
      column: "handling_fees_fixed_surcharge",
      type: "decimal",
      reason: "money (a fixed handling fee) the spec types as a plain number",
    },
    {
      table: "shipping_zones",
      column: "handling_fees_fixed_surcharge",
      type: "decimal",
      reason: "money (a fixed handling fee) the spec types as a string (`\"0\"`)",
    },
  ],
  names: [
    {
      name: /(?:^|_)exchange_rate$/,
      kinds: [...LOOSE_NUMBER, "string"],
      type: "rate",
      reason: "exchange rates carry ten decimals (v2 sends `\"1.0000000000\"` as a plain string): DECIMAL(20,10) keeps every digit",
    },
    {
      name: /^id$|_id$/,
      kinds: LOOSE_NUMBER,
      type: "integer",
      reason: "an id: the spec says `number` where it means a whole number",
    },
    {
      name: /(?:^|_)(?:count|quantity)(?:_|$)|^items_(?:total|shipped)$/,
      kinds: LOOSE_NUMBER,
      type: "integer",
      reason: "a count or a quantity (`items_total` counts items): the spec says `number` where it means a whole number",
    },
    {
      name: /(?:^|_)ids$/,
      kinds: ["list:number", "list:missing"],
      type: { list: "integer" },
      reason: "a list of ids (`channel_ids`): the spec says `number` or nothing of the items",
    },
    {
      name: /./,
      kinds: ["list:number"],
      type: { list: "integer" },
      reason: "the arrays of numbers BigCommerce sends list ids (`products.categories`); the spec says `number` of the items",
    },
    {
      name: /(?:^|_)(?:price|cost|amount|balance|discount|tax|total|subtotal)(?:_|$)/,
      kinds: LOOSE_NUMBER,
      type: "decimal",
      reason: "money (prices, costs, amounts, totals, balances, discounts, taxes): exact, whether the API sends a string or a number",
    },
    {
      name: /(?:^|_)(?:amount|price|spend)$/,
      kinds: ["string"],
      type: "decimal",
      reason: "money v3 promotions send as decimal strings (`\"10.00\"`) that the spec types as plain strings",
    },
  ],
};
