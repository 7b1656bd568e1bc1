/** What the v2 order routes share: the order a path names, the v2 404, and an order's sub-resource lists. */
import type { OrderRec } from "../data/types.ts";
import type { Ctx, Route } from "./context.ts";
import { errorReply, MESSAGES, type Reply } from "./errors.ts";
import { v2List } from "./paging.ts";

/** The OAuth scope of the order routes. */
export const ORDERS = ["store_v2_orders_read_only"];

/** BigCommerce's v2 "not found" answer. */
export const notFoundV2 = (): Reply => errorReply("v2", 404, MESSAGES[404]!);

/** The order `{order_id}` names, if the store has it. */
export function orderOf(ctx: Ctx): OrderRec | undefined {
  const id = Number(ctx.params.order_id);
  return Number.isInteger(id) ? ctx.store.order(id) : undefined;
}

/** A v2 order sub-resource list (204 when empty, as BigCommerce answers), 404 for an unknown order. */
export function orderSubList<T>(pattern: string, rows: (ctx: Ctx, o: OrderRec) => readonly T[], render: (o: OrderRec, r: T, ctx: Ctx) => unknown): Route {
  return {
    pattern, scopes: ORDERS,
    handle: (ctx) => {
      const o = orderOf(ctx);
      return o ? v2List(ctx.q, rows(ctx, o), (r) => render(o, r, ctx)) : notFoundV2();
    },
  };
}
