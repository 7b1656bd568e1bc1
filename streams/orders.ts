/** Orders and what hangs off them: line items, shipping addresses, coupons, transactions, refunds. */
import { defineStreams } from "../src/engine/registry.ts";
import orders from "./schemas/orders.ts";
import orderProducts from "./schemas/order_products.ts";
import orderShippingAddresses from "./schemas/order_shipping_addresses.ts";
import orderCoupons from "./schemas/order_coupons.ts";
import transactions from "./schemas/transactions.ts";
import refunds from "./schemas/refunds.ts";

const ORDERS_SCOPE = "store_v2_orders_read_only";
const TRANSACTIONS_SCOPE = "store_v2_transactions_read_only";
/** Every consignment kind carries its line items when the order page asks for them. */
const LINE_ITEM_PATHS = [
  "consignments.shipping[].line_items[]",
  "consignments.pickups[].line_items[]",
  "consignments.downloads[].line_items[]",
  "consignments.email.gift_certificates[].line_items[]",
];
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
    },
    channelFilter: "channel_id",
    scope: ORDERS_SCOPE,
    schema: orders,
    exclude: ["consignments"],
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
        fallback: { marker: "__warning__", api: "v2", path: "orders/{id}/products", pagination: "v2-page" },
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
      source: { kind: "inline", paths: ["consignments.shipping[]"], omit: ["line_items", "__warning__"] },
    },
  },
  {
    name: "order_coupons",
    description: "Coupons applied to an order; asked for only when the order has a coupon discount.",
    primaryKey: ["id", "order_id"],
    scope: ORDERS_SCOPE,
    schema: orderCoupons,
    parent: {
      stream: "orders",
      keys: { order_id: "id" },
      source: {
        kind: "subresource",
        api: "v2",
        path: "orders/{id}/coupons",
        pagination: "v2-page",
        when: { field: "coupon_discount", is: "nonzero" },
      },
    },
  },
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
]);
