/** The v2 endpoints: orders and their sub-resources, customer groups, coupons, gift certificates, currencies, the store. */
import { ORDER_STATUSES } from "../data/gen-orders.ts";
import { renderConsignments, renderOrder, renderOrderCoupon, renderOrderProduct, renderShippingAddress } from "../render/v2-orders.ts";
import { renderCoupon, renderCurrency, renderCustomerGroup, renderGiftCertificate, renderStoreInfo } from "../render/v2-store.ts";
import type { Ctx, Route } from "./context.ts";
import { EXTRA_V2_ROUTES } from "./extra-routes.ts";
import {
  applyFilters, boolEq, dateMax, dateMin, intEq, intIn, intMax, intMin, sortRows, strEq, strLike,
} from "./filters.ts";
import { OrderList } from "./order-list.ts";
import { notFoundV2, orderOf, ORDERS, orderSubList } from "./order-routes.ts";
import { v2List } from "./paging.ts";
import { BadParam } from "./query.ts";

const CUSTOMERS = ["store_v2_customers_read_only"];
const MARKETING = ["store_v2_marketing_read_only"];
const INFORMATION = ["store_v2_information_read_only"];

function orderList(ctx: Ctx): OrderList {
  return OrderList.of(ctx.store.orderTable, ctx.q);
}

/**
 * `include=consignments[.line_items]` (and `fees`). BigCommerce wants `consignment_structure=object`
 * with it; the emulator answers the object structure either way.
 */
function includesOf(ctx: Ctx) {
  const include = ctx.q.includes();
  ctx.q.get("consignment_structure");
  return { consignments: include.has("consignments"), lineItems: include.has("consignments.line_items"), fees: include.has("fees") };
}

const orderRoutes: Route[] = [
  {
    pattern: "/orders", scopes: ORDERS,
    handle: (ctx) => {
      const include = includesOf(ctx);
      return v2List(ctx.q, orderList(ctx), (o) => renderOrder(ctx.store, o, ctx.v2Base, include));
    },
  },
  {
    pattern: "/orders/count", scopes: ORDERS,
    handle: (ctx) => {
      const { total, byStatus } = orderList(ctx).counts();
      const order = [0, 1, 7, 11, 9, 8, 3, 10, 2, 5, 6, 4, 12, 13, 14];
      const statuses = order.map((id, i) => ({
        id, name: ORDER_STATUSES[id], system_label: ORDER_STATUSES[id], custom_label: ORDER_STATUSES[id],
        system_description: ORDER_STATUSES[id], count: byStatus.get(id) ?? 0, sort_order: i,
      }));
      return { status: 200, body: { statuses, count: total } };
    },
  },
  {
    pattern: "/orders/{order_id}", scopes: ORDERS,
    handle: (ctx) => {
      const o = orderOf(ctx);
      return o ? { status: 200, body: renderOrder(ctx.store, o, ctx.v2Base, includesOf(ctx)) } : notFoundV2();
    },
  },
  orderSubList("/orders/{order_id}/products", (_ctx, o) => o.lines, (o, l, ctx) => renderOrderProduct(ctx.store, o, l)),
  {
    pattern: "/orders/{order_id}/products/{product_id}", scopes: ORDERS,
    handle: (ctx) => {
      const o = orderOf(ctx);
      const line = o?.lines.find((l) => String(l.id) === ctx.params.product_id);
      return o && line ? { status: 200, body: renderOrderProduct(ctx.store, o, line) } : notFoundV2();
    },
  },
  ...["/orders/{order_id}/shipping_addresses", "/orders/{order_id}/shippingaddresses"].map((pattern) =>
    orderSubList(pattern, (_ctx, o) => o.shipping, (o, s, ctx) => renderShippingAddress(ctx.store, o, s, ctx.v2Base))
  ),
  orderSubList("/orders/{order_id}/coupons", (_ctx, o) => o.coupons, (o, c, ctx) => renderOrderCoupon(ctx.store, o, c)),
  {
    pattern: "/orders/{order_id}/consignments", scopes: ORDERS,
    handle: (ctx) => {
      const o = orderOf(ctx);
      const full = ctx.q.includes().has("line_items");
      return o ? { status: 200, body: renderConsignments(ctx.store, o, full, ctx.v2Base) } : notFoundV2();
    },
  },
];

const storeRoutes: Route[] = [
  {
    pattern: "/customer_groups", scopes: CUSTOMERS,
    handle: (ctx) => {
      const rows = applyFilters(ctx.store.customerGroups, ctx.q, {
        name: strEq((g) => g.name), "name:like": strLike((g) => g.name), is_default: boolEq((g) => g.isDefault),
        is_group_for_guests: boolEq((g) => g.isGuests), "date_created:min": dateMin((g) => g.created),
        "date_created:max": dateMax((g) => g.created), "date_modified:min": dateMin((g) => g.modified),
        "date_modified:max": dateMax((g) => g.modified),
      });
      return v2List(ctx.q, rows, (g) => renderCustomerGroup(ctx.store, g));
    },
  },
  { pattern: "/customer_groups/count", scopes: CUSTOMERS, handle: (ctx) => ({ status: 200, body: { count: ctx.store.customerGroups.length } }) },
  {
    pattern: "/coupons", scopes: MARKETING,
    handle: (ctx) => {
      const excluded = ctx.q.get("exclude_type");
      const rows = applyFilters(ctx.store.coupons, ctx.q, {
        id: intIn((c) => c.id), code: strEq((c) => c.code), name: strEq((c) => c.name), type: strEq((c) => c.type),
        min_id: intMin((c) => c.id), max_id: intMax((c) => c.id),
      }).filter((c) => c.type !== excluded);
      return v2List(ctx.q, rows, (c) => renderCoupon(ctx.store, c));
    },
  },
  { pattern: "/coupons/count", scopes: MARKETING, handle: (ctx) => ({ status: 200, body: { count: ctx.store.coupons.length } }) },
  {
    pattern: "/gift_certificates", scopes: MARKETING,
    handle: (ctx) => {
      const rows = applyFilters(ctx.store.giftCertificates, ctx.q, {
        min_id: intMin((g) => g.id), max_id: intMax((g) => g.id), code: strEq((g) => g.code), order_id: intEq((g) => g.orderId),
        to_name: strEq((g) => g.toName), to_email: strEq((g) => g.toEmail), from_name: strEq((g) => g.fromName),
        from_email: strEq((g) => g.fromEmail),
      });
      const sort = ctx.q.get("sort");
      if (sort !== undefined && sort !== "id") throw new BadParam("sort");
      sortRows(rows, { key: (g) => [g.id], desc: ctx.q.get("direction") === "desc" });
      return v2List(ctx.q, rows, (g) => renderGiftCertificate(ctx.store, g));
    },
  },
  {
    pattern: "/currencies", scopes: INFORMATION,
    handle: (ctx) => v2List(ctx.q, ctx.store.currencies, (c) => renderCurrency(ctx.store, c)),
  },
  {
    pattern: "/store", scopes: INFORMATION,
    handle: (ctx) => ({ status: 200, body: renderStoreInfo(ctx.store, ctx.origin) }),
  },
];

/** Every v2 route. */
export const V2_ROUTES: readonly Route[] = [...orderRoutes, ...EXTRA_V2_ROUTES, ...storeRoutes];
