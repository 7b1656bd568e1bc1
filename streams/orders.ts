/** Orders and what hangs off them: line items, shipping addresses, coupons, transactions, refunds. */
import { defineStreams } from "../src/engine/registry.ts";
import type { ChildStreamEntry, ParentCondition } from "../src/engine/types.ts";
import { includedRows, type IncludedRows, metafieldsStream } from "./shapes.ts";
import orders from "./schemas/orders.ts";
import orderProducts from "./schemas/order_products.ts";
import orderShippingAddresses from "./schemas/order_shipping_addresses.ts";
import orderCoupons from "./schemas/order_coupons.ts";
import transactions from "./schemas/transactions.ts";
import refunds from "./schemas/refunds.ts";
import orderFees from "./schemas/order_fees.ts";
import orderConsignments from "./schemas/order_consignments.ts";
import orderShipments from "./schemas/order_shipments.ts";
import orderTaxes from "./schemas/order_taxes.ts";
import orderMessages from "./schemas/order_messages.ts";
import orderMetafields from "./schemas/order_metafields.ts";
import orderStatuses from "./schemas/order_statuses.ts";

const ORDERS_SCOPE = "store_v2_orders_read_only";
const TRANSACTIONS_SCOPE = "store_v2_transactions_read_only";
/** Every consignment kind, and the name `order_consignments.kind` gives it. */
const CONSIGNMENTS = [
  ["consignments.shipping[]", "shipping"],
  ["consignments.pickups[]", "pickup"],
  ["consignments.downloads[]", "download"],
  ["consignments.email.gift_certificates[]", "gift_certificate"],
] as const;
/** Every consignment kind carries its line items when the order page asks for them. */
const LINE_ITEM_PATHS = CONSIGNMENTS.map(([path]) => `${path}.line_items[]`);
/**
 * A child read with one v2 request per order (`orders/{id}/<resource>`), keyed by (id, order_id); only for the
 * orders where `when` holds, when given.
 */
function perOrder(resource: string, when: ParentCondition | undefined, rows: IncludedRows & { selectedByDefault?: boolean }): ChildStreamEntry {
  const source = { kind: "subresource", api: "v2", path: `orders/{id}/${resource}`, pagination: "v2-page" } as const;
  return { ...rows, primaryKey: ["id", "order_id"], parent: { stream: "orders", keys: { order_id: "id" }, source: when ? { ...source, when } : source } };
}
/** Ask the order pages for consignments with their line items inline. */
const INLINE_CONSIGNMENTS = { include: "consignments.line_items", consignment_structure: "object" };

export default defineStreams([
  {
    name: "orders",
    description: "Orders, one row each; line items and shipping addresses arrive inline with the order pages.",
    api: "v2",
    path: "orders",
    primaryKey: ["id"],
    cursor: {
      field: "date_modified",
      filter: "min_date_modified",
      upperFilter: "max_date_modified",
      sort: { sort: "date_modified:asc" },
      countPath: "orders/count",
    },
    channelFilter: "channel_id",
    scope: ORDERS_SCOPE,
    schema: orders,
    // The list carries no total: a full read is checked against orders/count, status by status.
    count: {
      api: "v2",
      path: "orders/count",
      total: "count",
      groups: { at: "statuses", id: "id", name: "name", count: "count", field: "status_id", filter: "status_id" },
    },
    exclude: ["consignments", "fees"],
    archived: { params: { is_deleted: "true" }, field: "is_deleted", idFilters: { min: "min_id", max: "max_id" } },
    storeFields: [{
      // Checkout address form fields of the billing address, one column each.
      path: "billing_address.form_fields",
      prefix: "billing_address_form_field_",
      // No endpoint lists checkout form fields: the newest order page (one request) shows the current form.
      discover: {
        api: "v2",
        path: "orders",
        pagination: "v2-page",
        params: { sort: "date_created:desc" },
        names: "billing_address.form_fields[].name",
        scope: ORDERS_SCOPE,
      },
    }],
  },
  {
    name: "order_products",
    description: "Order line items, read inline from the order pages' consignments.",
    primaryKey: ["id", "order_id"],
    scope: ORDERS_SCOPE,
    schema: orderProducts,
    parent: {
      stream: "orders",
      keys: { order_id: "id" },
      parentParams: INLINE_CONSIGNMENTS,
      source: {
        kind: "inline",
        paths: LINE_ITEM_PATHS,
        // Cut at 50 per consignment (__warning__), or missing: items_total counts items, the sum of quantities.
        fallback: {
          marker: "__warning__",
          expect: { count: "items_total", sum: "quantity" },
          api: "v2",
          path: "orders/{id}/products",
          pagination: "v2-page",
        },
      },
    },
  },
  {
    name: "order_shipping_addresses",
    description: "Order shipping addresses, read inline from the order pages' shipping consignments.",
    primaryKey: ["id", "order_id"],
    scope: ORDERS_SCOPE,
    schema: orderShippingAddresses,
    parent: {
      stream: "orders",
      keys: { order_id: "id" },
      parentParams: INLINE_CONSIGNMENTS,
      source: {
        kind: "inline",
        paths: ["consignments.shipping[]"],
        omit: ["line_items", "__warning__"],
        // No consignments block, or fewer shipping consignments than the order counts: read them on their own.
        fallback: { expect: { count: "shipping_address_count" }, api: "v2", path: "orders/{id}/shipping_addresses", pagination: "v2-page" },
      },
    },
  },
  {
    name: "order_consignments",
    description: "Consignments of every kind (shipping, pickup, download, gift certificate email), read inline from the order pages; " +
      "line items go to order_products.",
    primaryKey: ["order_id", "kind", "index"],
    scope: ORDERS_SCOPE,
    schema: orderConsignments,
    parent: {
      stream: "orders",
      keys: { order_id: "id" },
      parentParams: INLINE_CONSIGNMENTS,
      source: {
        kind: "inline",
        paths: CONSIGNMENTS.map(([path]) => path),
        omit: ["line_items", "__warning__"],
        // Download and gift certificate consignments have no id: the kind and the position identify them.
        tag: { column: "kind", values: CONSIGNMENTS.map(([, kind]) => kind) },
        indexColumn: "index",
      },
    },
  },
  includedRows("orders", "order_id", "fees", {
    name: "order_fees",
    description: "Order fees, read inline from the order pages (include=fees).",
    scope: ORDERS_SCOPE,
    schema: orderFees,
  }),
  perOrder("shipments", { field: "items_shipped", is: "nonzero" }, {
    name: "order_shipments",
    description: "Shipments of an order, with their items; one request per order with something shipped, so not selected by default.",
    selectedByDefault: false,
    scope: ORDERS_SCOPE,
    schema: orderShipments,
  }),
  perOrder("taxes", { field: "total_tax", is: "nonzero" }, {
    name: "order_taxes",
    description: "Tax lines of an order; one request per taxed order, so not selected by default.",
    selectedByDefault: false,
    scope: ORDERS_SCOPE,
    schema: orderTaxes,
  }),
  perOrder("messages", undefined, {
    name: "order_messages",
    description: "Messages on an order; one request per order (nothing on the order says whether it has any), so not selected by default.",
    selectedByDefault: false,
    scope: ORDERS_SCOPE,
    schema: orderMessages,
  }),
  perOrder("coupons", { field: "coupon_discount", is: "nonzero" }, {
    name: "order_coupons",
    description: "Coupons applied to an order; asked for only when the order has a coupon discount.",
    scope: ORDERS_SCOPE,
    schema: orderCoupons,
  }),
  {
    name: "transactions",
    description: "Payment transactions of an order; one request per paid order, so not selected by default.",
    primaryKey: ["id"],
    selectedByDefault: false,
    scope: TRANSACTIONS_SCOPE,
    schema: transactions,
    parent: {
      stream: "orders",
      keys: { order_id: "id" },
      source: {
        kind: "subresource",
        api: "v3",
        path: "orders/{id}/transactions",
        pagination: "v3-offset",
        when: { field: "payment_status", is: "nonempty" },
        notFoundMeansNone: true,
      },
    },
  },
  {
    name: "refunds",
    description: "Refunds across all orders.",
    api: "v3",
    path: "orders/payment_actions/refunds",
    primaryKey: ["id"],
    cursor: { field: "created", filter: "created:min", upperFilter: "created:max" },
    scope: TRANSACTIONS_SCOPE,
    schema: refunds,
  },
  metafieldsStream("order", "orders/metafields", ORDERS_SCOPE, orderMetafields),
  {
    name: "order_statuses",
    description: "The store's order statuses with their custom labels (one unpaged list).",
    api: "v2",
    path: "order_statuses",
    pagination: "single",
    primaryKey: ["id"],
    scope: ORDERS_SCOPE,
    schema: orderStatuses,
  },
]);
