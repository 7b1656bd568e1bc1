/**
 * Endpoints of the store detail in `../data/gen-extras.ts`: order statuses, fees, shipments,
 * taxes and messages, shipping zones and methods, payment methods (v2); customer attributes,
 * segments, the store-wide metafield lists and product reviews (v3).
 */
import { type MetafieldOwner, orderFees, orderMessages, orderShipments, orderTaxes, productDetail } from "../data/gen-extras.ts";
import {
  renderAttributeValue, renderCustomerAttribute, renderMetafield, renderOrderFee, renderOrderMessage, renderOrderStatus, renderOrderTax,
  renderPaymentMethod, renderReview, renderSegment, renderShipment, renderShippingMethod, renderShippingZone, STATUS_ORDER,
} from "../render/extras.ts";
import type { Route } from "./context.ts";
import { errorReply, type Reply } from "./errors.ts";
import { applyFilters, boolEq, dateMax, dateMin, type FilterFactory, intIn, intMax, intMin, strEq, strIn } from "./filters.ts";
import { notFoundV2, orderOf, ORDERS, orderSubList } from "./order-routes.ts";
import { v2List, v3List } from "./paging.ts";

const INFORMATION = ["store_v2_information_read_only"];
const PAYMENTS = ["store_payments_methods_read"];
const CUSTOMERS = ["store_v2_customers_read_only"];
const PRODUCTS = ["store_v2_products_read_only"];

const notFoundV3 = (): Reply => errorReply("v3", 404, "The requested resource was not found.");

/** `date_created`/`date_modified` `:min`/`:max` filters. */
function dateRange<T>(created: (r: T) => number, modified: (r: T) => number): Record<string, FilterFactory<T>> {
  return {
    "date_created:min": dateMin(created), "date_created:max": dateMax(created),
    "date_modified:min": dateMin(modified), "date_modified:max": dateMax(modified),
  };
}

/** Every v2 route of the store detail. */
export const EXTRA_V2_ROUTES: readonly Route[] = [
  {
    pattern: "/order_statuses", scopes: ORDERS,
    handle: () => ({ status: 200, body: STATUS_ORDER.map(renderOrderStatus) }),
  },
  {
    pattern: "/orders/{order_id}/fees", scopes: ORDERS,
    handle: (ctx) => {
      const o = orderOf(ctx);
      return o ? { status: 200, body: { fees: orderFees(ctx.store.seed, o).map(renderOrderFee) } } : notFoundV2();
    },
  },
  orderSubList("/orders/{order_id}/shipments", (ctx, o) => orderShipments(ctx.store.seed, o), renderShipment),
  orderSubList("/orders/{order_id}/taxes", (_ctx, o) => orderTaxes(o), renderOrderTax),
  orderSubList("/orders/{order_id}/messages", (ctx, o) => {
    const all = orderMessages(ctx.store.seed, o);
    return applyFilters(all, ctx.q, {
      min_id: intMin((m) => m.id), max_id: intMax((m) => m.id), is_flagged: boolEq((m) => m.flagged),
      min_date_created: dateMin((m) => m.created), max_date_created: dateMax((m) => m.created),
    });
  }, renderOrderMessage),
  {
    pattern: "/shipping/zones", scopes: INFORMATION,
    handle: (ctx) => ({ status: 200, body: ctx.store.extras.shippingZones.map(renderShippingZone) }),
  },
  {
    pattern: "/shipping/zones/{zone_id}/methods", scopes: INFORMATION,
    handle: (ctx) => {
      const zone = ctx.store.extras.shippingZones.find((z) => String(z.id) === ctx.params.zone_id);
      return zone ? { status: 200, body: zone.methods.map(renderShippingMethod) } : notFoundV2();
    },
  },
  {
    pattern: "/payments/methods", scopes: PAYMENTS,
    handle: (ctx) => v2List(ctx.q, ctx.store.extras.paymentMethods, renderPaymentMethod),
  },
];

/** The store-wide metafield list of one kind of owner. */
function metafieldList(pattern: string, owner: MetafieldOwner, scopes: readonly string[]): Route {
  return {
    pattern, scopes,
    handle: (ctx) => {
      const rows = applyFilters(ctx.store.extras.metafields[owner], ctx.q, {
        key: strEq((m) => m.key), "key:in": strIn((m) => m.key), namespace: strEq((m) => m.namespace),
        "namespace:in": strIn((m) => m.namespace), ...dateRange((m) => m.created, (m) => m.modified),
      });
      return v3List(ctx.q, rows, renderMetafield);
    },
  };
}

/** Every v3 route of the store detail (before the catalog's `{product_id}` routes, which would match `metafields`). */
export const EXTRA_V3_ROUTES: readonly Route[] = [
  metafieldList("/catalog/products/metafields", "product", PRODUCTS),
  metafieldList("/catalog/variants/metafields", "variant", PRODUCTS),
  metafieldList("/catalog/categories/metafields", "category", PRODUCTS),
  metafieldList("/catalog/brands/metafields", "brand", PRODUCTS),
  metafieldList("/orders/metafields", "order", ORDERS),
  metafieldList("/customers/metafields", "customer", CUSTOMERS),
  {
    pattern: "/customers/attributes", scopes: CUSTOMERS,
    handle: (ctx) => {
      const rows = applyFilters(ctx.store.extras.customerAttributes, ctx.q, {
        name: strEq((a) => a.name), type: strEq((a) => a.type), ...dateRange((a) => a.created, (a) => a.modified),
      });
      return v3List(ctx.q, rows, renderCustomerAttribute);
    },
  },
  {
    pattern: "/customers/attribute-values", scopes: CUSTOMERS,
    handle: (ctx) => {
      const rows = applyFilters(ctx.store.extras.attributeValues, ctx.q, {
        "customer_id:in": intIn((v) => v.customerId), "attribute_id:in": intIn((v) => v.attributeId),
        ...dateRange((v) => v.created, (v) => v.modified),
      });
      return v3List(ctx.q, rows, renderAttributeValue);
    },
  },
  {
    pattern: "/segments", scopes: CUSTOMERS,
    handle: (ctx) => {
      const ids = ctx.q.list("id:in");
      const rows = ctx.store.extras.segments.filter((s) => !ids || ids.includes(s.id));
      return v3List(ctx.q, rows, renderSegment);
    },
  },
  {
    pattern: "/catalog/products/{product_id}/reviews", scopes: PRODUCTS,
    handle: (ctx) => {
      const p = ctx.store.product(Number(ctx.params.product_id));
      if (!p) return notFoundV3();
      const rows = applyFilters(productDetail(ctx.store.seed, p).reviews, ctx.q, { status: strEq((r) => r.status) });
      return v3List(ctx.q, rows, (r) => renderReview(p.id, r));
    },
  },
];
