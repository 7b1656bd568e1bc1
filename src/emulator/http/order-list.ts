/**
 * The v2 order list, read from the store's order table without building it: positions sorted by
 * the requested field (cached), a range cut by binary search when the sort field is also
 * filtered (`min_date_modified` on `sort=date_modified`, `min_id` on `sort=id`), the other
 * filters tested position by position, and only the orders of the requested page built. A
 * cursor-seeking reader's page therefore costs O(page), whatever the store's size.
 */
import { FIRST_ORDER_ID } from "../data/gen-orders.ts";
import type { OrderSortField, OrderTable } from "../data/order-table.ts";
import { orderTotals } from "../data/totals.ts";
import type { OrderRec } from "../data/types.ts";
import { dateMax, dateMin, type FilterFactory, intEq, intMax, intMin, strEq } from "./filters.ts";
import { BadParam, type Query } from "./query.ts";

/** Filters on the table's compact fields (by position). */
function compactFilters(t: OrderTable): Record<string, FilterFactory<number>> {
  return {
    min_id: intMin((i) => FIRST_ORDER_ID + i),
    max_id: intMax((i) => FIRST_ORDER_ID + i),
    customer_id: intEq((i) => t.customer[i]!),
    status_id: intEq((i) => t.status[i]!),
    min_date_created: dateMin((i) => t.created[i]!),
    max_date_created: dateMax((i) => t.created[i]!),
    min_date_modified: dateMin((i) => t.modified[i]!),
    max_date_modified: dateMax((i) => t.modified[i]!),
    channel_id: intEq((i) => t.channel[i]!),
  };
}

/** Filters that need the whole order. */
const ORDER_FILTERS: Record<string, FilterFactory<OrderRec>> = {
  min_total: intMin((o) => orderTotals(o).totalInc / 100),
  max_total: intMax((o) => orderTotals(o).totalInc / 100),
  email: strEq((o) => o.billing.email),
  cart_id: strEq((o) => o.cartId),
  payment_method: strEq((o) => o.paymentMethod),
};

/** The filters that bound each sort field from below and above. */
const RANGE_FILTERS: Partial<Record<OrderSortField, readonly [string, string]>> = {
  id: ["min_id", "max_id"],
  date_created: ["min_date_created", "max_date_created"],
  date_modified: ["min_date_modified", "max_date_modified"],
};

const SORT_FIELDS: Record<string, OrderSortField> = {
  id: "id", customer_id: "customer_id", date_created: "date_created", date_modified: "date_modified", status_id: "status_id",
  channel_id: "channel_id", external_id: "id",
};

/** First index in [lo, hi) of `order` where `test` is false (`test` true then false over the range). */
function firstFalse(order: Int32Array, lo: number, hi: number, test: (i: number) => boolean): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (test(order[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The live (not archived) orders a v2 list query selects, in its order; pages are built on demand. */
export class OrderList {
  private constructor(
    private readonly table: OrderTable,
    private readonly order: Int32Array,
    private readonly lo: number,
    private readonly hi: number,
    private readonly desc: boolean,
    private readonly tests: ReadonlyArray<(i: number) => boolean>,
    private readonly orderTests: ReadonlyArray<(o: OrderRec) => boolean>,
  ) {}

  /** The list a query asks for (`sort=field[:asc|:desc]`, ties broken by id in the same direction). */
  static of(table: OrderTable, q: Query): OrderList {
    const sort = q.get("sort");
    const [name = "id", dir = "asc"] = (sort ?? "id").split(":");
    const field = SORT_FIELDS[name];
    if (!field || (dir !== "asc" && dir !== "desc")) throw new BadParam("sort", `The sort value '${sort}' is invalid.`);
    const tests = new Map<string, (i: number) => boolean>();
    for (const [param, factory] of Object.entries(compactFilters(table))) {
      const test = factory(q, param);
      if (test) tests.set(param, test);
    }
    const orderTests: Array<(o: OrderRec) => boolean> = [];
    for (const [param, factory] of Object.entries(ORDER_FILTERS)) {
      const test = factory(q, param);
      if (test) orderTests.push(test);
    }
    const order = table.sorted(field);
    let lo = 0;
    let hi = order.length;
    const range = RANGE_FILTERS[field];
    if (range) {
      const [min, max] = range;
      const atLeast = tests.get(min);
      if (atLeast) lo = firstFalse(order, lo, hi, (i) => !atLeast(i));
      const atMost = tests.get(max);
      if (atMost) hi = firstFalse(order, lo, hi, atMost);
      tests.delete(min);
      tests.delete(max);
    }
    const deleted = table.deleted;
    // Archived orders are left out unless asked for with `is_deleted=true` (then only they are listed).
    const archived = q.get("is_deleted") === "true" ? 1 : 0;
    return new OrderList(table, order, lo, hi, dir === "desc", [(i) => deleted[i] === archived, ...tests.values()], orderTests);
  }

  /** Calls `visit` with each selected position in list order until it returns false. */
  #walk(visit: (i: number, order: () => OrderRec) => boolean): void {
    const step = this.desc ? -1 : 1;
    for (let p = this.desc ? this.hi - 1 : this.lo; p >= this.lo && p < this.hi; p += step) {
      const i = this.order[p]!;
      if (!this.tests.every((t) => t(i))) continue;
      let built: OrderRec | undefined;
      const order = () => (built ??= this.table.at(i));
      if (this.orderTests.length > 0 && !this.orderTests.every((t) => t(order()))) continue;
      if (!visit(i, order)) return;
    }
  }

  /** The selected orders from `start` to `end` (exclusive), like `Array.prototype.slice`. */
  slice(start: number, end: number): OrderRec[] {
    const out: OrderRec[] = [];
    let n = 0;
    this.#walk((_, order) => {
      if (n++ >= start) out.push(order());
      return n < end;
    });
    return out;
  }

  /** How many orders are selected, in total and per status id. */
  counts(): { total: number; byStatus: Map<number, number> } {
    const byStatus = new Map<number, number>();
    let total = 0;
    this.#walk((i) => {
      total++;
      byStatus.set(this.table.status[i]!, (byStatus.get(this.table.status[i]!) ?? 0) + 1);
      return true;
    });
    return { total, byStatus };
  }
}
