/** Order arithmetic: line and order totals from the stored cents (the API computes these too). */
import { percentOf } from "../money.ts";
import type { OrderLine, OrderRec } from "./types.ts";

/** A line's totals in cents. */
export interface LineTotals {
  unitTax: number;
  totalEx: number;
  totalTax: number;
  totalInc: number;
}

/** Totals of one line at the order's tax rate. */
export function lineTotals(line: OrderLine, taxRate: number): LineTotals {
  const unitTax = percentOf(line.priceCents, taxRate);
  const totalEx = line.priceCents * line.quantity;
  const totalTax = unitTax * line.quantity;
  return { unitTax, totalEx, totalTax, totalInc: totalEx + totalTax };
}

/** An order's totals in cents. */
export interface OrderTotals {
  subtotalEx: number;
  subtotalTax: number;
  shippingEx: number;
  shippingTax: number;
  discount: number;
  totalEx: number;
  totalTax: number;
  totalInc: number;
  itemsTotal: number;
  itemsShipped: number;
}

/** Totals of a whole order: lines, shipping, coupon discount. */
export function orderTotals(order: OrderRec): OrderTotals {
  let subtotalEx = 0;
  let subtotalTax = 0;
  let itemsTotal = 0;
  let itemsShipped = 0;
  for (const line of order.lines) {
    const t = lineTotals(line, order.taxRate);
    subtotalEx += t.totalEx;
    subtotalTax += t.totalTax;
    itemsTotal += line.quantity;
    itemsShipped += line.quantityShipped;
  }
  const shippingEx = order.shipping.reduce((sum, s) => sum + s.costCents, 0);
  const shippingTax = percentOf(shippingEx, order.taxRate);
  const discount = order.coupons.reduce((sum, c) => sum + c.discountCents, 0);
  const totalEx = subtotalEx + shippingEx - discount;
  const totalTax = subtotalTax + shippingTax;
  return { subtotalEx, subtotalTax, shippingEx, shippingTax, discount, totalEx, totalTax, totalInc: totalEx + totalTax, itemsTotal, itemsShipped };
}
