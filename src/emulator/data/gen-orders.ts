/**
 * Generates orders with line items, shipping addresses or pickups, coupons, payment transactions,
 * refunds and the gift certificates sold in them. `buildOrder` also serves `store.addOrder`.
 */
import type { Rng } from "../prng.ts";
import { percentOf } from "../money.ts";
import { bulkTouched, DAY, drawAddress, drawIp, drawName, emailFor, type GenContext, spread } from "./gen-common.ts";
import { lineTotals, orderTotals } from "./totals.ts";
import type {
  Address, BrandRec, CouponRec, CustomerRec, GiftCertificateRec, LocationRec, OrderLine, OrderRec, ProductRec, RefundRec, ShippingRec, TransactionRec,
} from "./types.ts";
import { drawAddressFormFields } from "./gen-form-fields.ts";
import type { OrderTable } from "./order-table.ts";
import { SHIPPING_METHODS } from "./words.ts";

/** Next free ids of everything an order creates. */
export interface OrderCounters {
  order: number;
  line: number;
  shipping: number;
  pickup: number;
  orderCoupon: number;
  transaction: number;
  refund: number;
  giftCertificate: number;
}

/** What orders draw from. Customers and products must be sorted by creation time (they are, by id). */
export interface OrderPools {
  customers: CustomerRec[];
  products: ProductRec[];
  coupons: CouponRec[];
  pickupLocations: LocationRec[];
  giftCertificates: GiftCertificateRec[];
  refunds: RefundRec[];
  brands: BrandRec[];
  /** Products by id (built from `products` when absent). */
  productIndex?: Map<number, ProductRec>;
  /** Brand names by id (built from `brands` when absent). */
  brandIndex?: Map<number, string>;
  /** Rebuilding an order already generated: the products' sales and the coupons' uses already count it. */
  replaying?: boolean;
}

/** Order status names by id. */
export const ORDER_STATUSES: Record<number, string> = {
  0: "Incomplete", 1: "Pending", 2: "Shipped", 3: "Partially Shipped", 4: "Refunded", 5: "Cancelled", 6: "Declined",
  7: "Awaiting Payment", 8: "Awaiting Pickup", 9: "Awaiting Shipment", 10: "Completed", 11: "Awaiting Fulfillment",
  12: "Manual Verification Required", 13: "Disputed", 14: "Partially Refunded",
};

const STATUS_WEIGHTS = [
  [10, 34], [2, 18], [11, 12], [9, 4], [3, 2], [7, 5], [1, 3], [0, 1], [5, 4], [6, 1], [4, 3], [14, 3], [12, 1], [13, 1],
] as const;

/** The id of the first order (ids are consecutive from here, added orders included). */
export const FIRST_ORDER_ID = 100;

/** Every 150th order (from the 8th) has more line items than a consignment returns (50). */
export function isBigOrder(index: number): boolean {
  return index % 150 === 7;
}

/** Options for one order. */
export interface OrderInput {
  created: number;
  /** Latest instant the order may be modified at (end of history). */
  until: number;
  /** Force a line count (e.g. a big order). */
  lineCount?: number;
  channelId?: number;
  customerId?: number;
}

/** Builds one order (and records its refunds and gift certificates in the pools). */
export function buildOrder(rng: Rng, input: OrderInput, pools: OrderPools, ids: OrderCounters): OrderRec {
  const { created, until } = input;
  const id = ids.order++;
  const channelId = input.channelId ?? rng.weighted([[1, 85], [2, 10], [3, 5]] as const);
  const customer = pickCustomer(rng, pools.customers, created, input.customerId);
  const billing = billingFor(rng, customer, id);
  const source = channelId === 1 ? (rng.chance(0.12) ? "manual" : "www") : "external";
  let statusId: number = rng.weighted(STATUS_WEIGHTS);
  if (source !== "www" && [4, 14, 6, 12, 13, 0].includes(statusId)) statusId = 10;

  const big = input.lineCount !== undefined && input.lineCount > 50;
  const pickup = !big && channelId === 1 && pools.pickupLocations.length > 0 && rng.chance(0.03)
    ? { id: ids.pickup++, methodId: 1, location: pools.pickupLocations[0]! }
    : null;
  if (pickup && [2, 3, 9].includes(statusId)) statusId = 8;

  const lines = drawLines(rng, id, created, input.lineCount ?? rng.weighted([[1, 45], [2, 25], [3, 15], [4, 6], [5, 4], [6, 2], [9, 2], [14, 1]] as const), pools, ids, big);
  const giftLine = !big && source === "www" && rng.chance(0.015);
  if (giftLine) lines.push(giftCertificateLine(rng, id, created, customer?.id ?? 0, billing, pools, ids));

  const shipping: ShippingRec[] = [];
  const physical = lines.filter((l) => l.type === "physical");
  if (pickup) for (const l of physical) l.pickupId = pickup.id;
  else if (physical.length > 0) {
    const count = physical.length >= 2 && !big && rng.chance(0.05) ? 2 : 1;
    for (let k = 0; k < count; k++) {
      const method = rng.pick(SHIPPING_METHODS);
      shipping.push({
        id: ids.shipping++, address: k === 0 && rng.chance(0.7) ? billing : shippingAddress(rng, customer, billing),
        method, costCents: method === "Free Shipping" ? 0 : rng.int(5, 25) * 100, zoneId: billing.country_iso2 === "US" ? 1 : 2,
        zoneName: billing.country_iso2 === "US" ? "United States" : "International",
      });
    }
    physical.forEach((l, k) => (l.addressId = shipping[k % shipping.length]!.id));
  }

  const order: OrderRec = {
    id, customerId: customer?.id ?? 0, channelId, created, modified: created, shipped: 0, statusId, source,
    externalSource: channelId === 2 ? "POS" : channelId === 3 ? "Amazon" : null,
    paymentMethod: "", paymentStatus: "", paymentProviderId: "", billing, billingFormFields: [], shipping, pickup, lines, coupons: [],
    taxRate: billing.country_iso2 === "US" ? 0.0825 : 0, currencyId: 1, currencyCode: "USD", refundedCents: 0,
    ip: source === "www" ? drawIp(rng) : "", cartId: source === "www" ? rng.uuid() : "",
    customerMessage: rng.chance(0.05) ? "Please leave the parcel at the back door." : "",
    staffNotes: rng.chance(0.03) ? "Called customer to confirm the address." : "", emailOptIn: rng.chance(0.2), deleted: false,
    transactions: [],
  };
  if (source === "www" && rng.chance(0.14)) applyCoupon(rng, order, pools.coupons, ids, pools.replaying);
  if ([2, 3, 10].includes(statusId) && (shipping.length > 0 || pickup)) {
    order.shipped = Math.max(created, Math.min(until - 60, created + rng.int(1, 5) * DAY + rng.int(0, DAY)));
    for (const l of lines) if (l.type === "physical") l.quantityShipped = statusId === 3 && l.id % 2 === 0 ? 0 : l.quantity;
    if (statusId === 3 && lines.every((l) => l.quantityShipped === l.quantity)) lines[0]!.quantityShipped = 0;
  }
  const refundedAt = pay(rng, order, until, pools, ids);
  const base = rng.chance(0.35) ? created : created + rng.int(3600, 20 * DAY);
  order.modified = Math.max(created, Math.min(until - 1, Math.max(base, order.shipped, refundedAt)));
  pools.productIndex ??= new Map(pools.products.map((p) => [p.id, p]));
  if (!pools.replaying) {
    for (const l of lines) {
      const product = pools.productIndex.get(l.productId);
      if (product) product.totalSold += l.quantity;
    }
  }
  return order;
}

function pickCustomer(rng: Rng, customers: CustomerRec[], created: number, forced?: number): CustomerRec | undefined {
  if (forced !== undefined) return customers.find((c) => c.id === forced);
  if (customers.length === 0 || rng.chance(0.18)) return undefined;
  const eligible = upperBound(customers, created);
  return eligible > 0 ? customers[rng.int(0, eligible - 1)] : undefined;
}

/** Number of leading records created at or before `t` (records sorted by `created`). */
function upperBound(records: ReadonlyArray<{ created: number }>, t: number): number {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (records[mid]!.created <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function billingFor(rng: Rng, customer: CustomerRec | undefined, orderId: number): Address {
  if (customer && customer.addresses.length > 0) return customer.addresses[0]!.address;
  const { first, last } = customer ? { first: customer.first, last: customer.last } : drawName(rng);
  return drawAddress(rng, first, last, customer?.email ?? emailFor(first, last, 100000 + orderId));
}

function shippingAddress(rng: Rng, customer: CustomerRec | undefined, billing: Address): Address {
  if (customer && customer.addresses.length > 1 && rng.chance(0.6)) return rng.pick(customer.addresses).address;
  const { first, last } = drawName(rng);
  return drawAddress(rng, first, last, billing.email);
}

function drawLines(rng: Rng, orderId: number, created: number, count: number, pools: OrderPools, ids: OrderCounters, big: boolean): OrderLine[] {
  const available = Math.max(Math.min(pools.products.length, 5), upperBound(pools.products, created));
  const lines: OrderLine[] = [];
  for (let k = 0; k < count; k++) {
    const product = pools.products.length ? pools.products[rng.int(0, available - 1)] : undefined;
    if (!product || product.variants.length === 0) {
      lines.push(customLine(rng, ids.line++));
      continue;
    }
    if (big && product.type !== "physical") {
      lines.push(customLine(rng, ids.line++));
      continue;
    }
    const variant = rng.pick(product.variants);
    pools.brandIndex ??= new Map(pools.brands.map((b) => [b.id, b.name]));
    lines.push({
      id: ids.line++, productId: product.id, variantId: variant.id, name: product.name, sku: variant.sku,
      brand: pools.brandIndex.get(product.brandId) ?? "", type: product.type, quantity: rng.weighted([[1, 80], [2, 14], [3, 4], [5, 2]] as const),
      priceCents: product.saleCents || variant.priceCents, costCents: product.costCents, weight: product.weight,
      addressId: 0, pickupId: 0,
      options: variant.optionValues.map((ov, n) => ({
        id: ids.line * 10 + n, optionId: ov.optionId, productOptionId: ov.optionId, valueId: ov.id, name: ov.optionName, value: ov.label,
      })),
      giftCertificateId: null, recipientEmail: "", quantityShipped: 0, quantityRefunded: 0, discountCents: 0,
    });
  }
  void orderId;
  return lines;
}

function customLine(rng: Rng, id: number): OrderLine {
  return {
    id, productId: 0, variantId: 0, name: "Custom engraving", sku: "CUSTOM", brand: "", type: "physical", quantity: 1,
    priceCents: rng.int(5, 40) * 100, costCents: 0, weight: 0.1, addressId: 0, pickupId: 0, options: [], giftCertificateId: null,
    recipientEmail: "", quantityShipped: 0, quantityRefunded: 0, discountCents: 0,
  };
}

function giftCertificateLine(
  rng: Rng, orderId: number, created: number, customerId: number, billing: Address, pools: OrderPools, ids: OrderCounters,
): OrderLine {
  const cents = rng.pick([2500, 5000, 10000]);
  const { first, last } = drawName(rng);
  const toEmail = emailFor(first, last, 900000 + orderId);
  const cert: GiftCertificateRec = {
    id: ids.giftCertificate++, code: `${rng.chars(3)}-${rng.chars(3)}-${rng.chars(3)}-${rng.chars(3)}`, amountCents: cents,
    balanceCents: rng.chance(0.5) ? cents : rng.int(0, cents / 100) * 100, status: "active", toName: `${first} ${last}`, toEmail,
    fromName: `${billing.first_name} ${billing.last_name}`, fromEmail: billing.email, customerId, orderId,
    template: rng.pick(["birthday.html", "celebration.html", "general.html", "christmas.html"]), message: "Enjoy!",
    purchased: created, expires: rng.chance(0.5) ? created + 365 * DAY : 0, currencyCode: "USD",
  };
  pools.giftCertificates.push(cert);
  return {
    id: ids.line++, productId: 0, variantId: 0, name: `$${cents / 100} Gift Certificate`, sku: "", brand: "", type: "giftcertificate",
    quantity: 1, priceCents: cents, costCents: 0, weight: 0, addressId: 0, pickupId: 0, options: [], giftCertificateId: cert.id,
    recipientEmail: toEmail, quantityShipped: 0, quantityRefunded: 0, discountCents: 0,
  };
}

const COUPON_TYPE_CODES: Record<CouponRec["type"], number> = {
  per_item_discount: 0, percentage_discount: 1, per_total_discount: 2, shipping_discount: 3, free_shipping: 4,
};

function applyCoupon(rng: Rng, order: OrderRec, coupons: CouponRec[], ids: OrderCounters, replaying = false): void {
  const usable = coupons.filter((c) => c.enabled && c.created <= order.created && (!c.expires || c.expires >= order.created));
  if (usable.length === 0) return;
  const coupon = rng.pick(usable);
  const t = orderTotals(order);
  if (t.subtotalEx < coupon.minPurchaseCents) return;
  let discount = 0;
  if (coupon.type === "per_total_discount") discount = Math.min(coupon.amount * 100, t.subtotalEx);
  else if (coupon.type === "percentage_discount") discount = percentOf(t.subtotalEx, coupon.amount / 100);
  else if (coupon.type === "per_item_discount") discount = Math.min(coupon.amount * 100 * t.itemsTotal, t.subtotalEx);
  else if (coupon.type === "free_shipping") discount = t.shippingEx;
  else discount = Math.min(coupon.amount * 100, t.shippingEx);
  if (discount <= 0) return;
  if (!replaying) coupon.numUses++;
  order.coupons.push({
    id: ids.orderCoupon++, couponId: coupon.id, code: coupon.code, type: COUPON_TYPE_CODES[coupon.type], amount: coupon.amount,
    discountCents: discount,
  });
  if (coupon.type === "free_shipping" || coupon.type === "shipping_discount") return;
  // Spread the discount over the lines, the remainder on the last one.
  let left = discount;
  order.lines.forEach((line, k) => {
    const share = k === order.lines.length - 1 ? left : Math.floor((discount * lineTotals(line, 0).totalEx) / t.subtotalEx);
    line.discountCents = share;
    left -= share;
  });
}

function tx(
  ids: OrderCounters, order: OrderRec, event: TransactionRec["event"], amountCents: number, at: number, rng: Rng,
  extra: Partial<TransactionRec> = {},
): TransactionRec {
  const paypal = order.paymentMethod === "PayPal";
  const pos = order.paymentMethod === "Cash";
  return {
    id: ids.transaction++, event, method: paypal ? "electronic_wallet" : pos ? "offline" : "credit_card", amountCents,
    gateway: paypal ? "paypalexpress" : pos ? "instore" : "stripe", gatewayTransactionId: pos ? "" : `ch_${rng.chars(16, "abcdefghijklmnopqrstuvwxyz0123456789")}`,
    created: at, status: "ok", fraudReview: false, referenceId: null,
    card: paypal || pos ? null : {
      type: rng.pick(["visa", "master", "american_express", "discover"]), iin: String(rng.int(400000, 559999)),
      last4: String(rng.int(1000, 9999)), month: rng.int(1, 12), year: 2026 + rng.int(0, 4),
    },
    ...extra,
  };
}

/** Sets the payment fields and transactions; returns the refund instant (0 when none). */
function pay(rng: Rng, order: OrderRec, until: number, pools: OrderPools, ids: OrderCounters): number {
  const { statusId, created } = order;
  const total = orderTotals(order).totalInc;
  const t0 = created + rng.int(2, 30);
  if (order.channelId === 3) {
    order.paymentMethod = "Amazon";
    return 0;
  }
  if (order.source === "manual") {
    order.paymentMethod = "Manual";
    return 0;
  }
  if (order.channelId === 2) {
    order.paymentMethod = "Cash";
    order.paymentStatus = "paid";
    order.transactions.push(tx(ids, order, "purchase", total, t0, rng));
    return 0;
  }
  switch (statusId) {
    case 0:
      return 0;
    case 7:
      order.paymentMethod = "Bank Deposit";
      return 0;
    case 1:
      order.paymentMethod = "Credit Card";
      order.paymentStatus = "pending";
      order.transactions.push(tx(ids, order, "pending", total, t0, rng));
      return 0;
    case 6:
      order.paymentMethod = "Credit Card";
      order.paymentStatus = "declined";
      order.transactions.push(tx(ids, order, "purchase", total, t0, rng, { status: "error" }));
      return 0;
    case 5: {
      order.paymentMethod = "Credit Card";
      order.paymentStatus = "void";
      const auth = tx(ids, order, "authorization", total, t0, rng);
      order.transactions.push(auth, tx(ids, order, "void", total, t0 + rng.int(3600, 3 * DAY), rng, { referenceId: auth.id, card: auth.card }));
      return 0;
    }
    case 12:
      order.paymentMethod = "Credit Card";
      order.paymentStatus = "held for review";
      order.transactions.push(tx(ids, order, "authorization", total, t0, rng, { fraudReview: true }));
      return 0;
    case 4:
    case 14: {
      order.paymentMethod = "Credit Card";
      order.paymentStatus = statusId === 4 ? "refunded" : "partially refunded";
      const purchase = tx(ids, order, "purchase", total, t0, rng);
      order.transactions.push(purchase);
      return refund(rng, order, until, statusId === 4, purchase, pools, ids);
    }
    default: {
      if (rng.chance(0.25)) {
        order.paymentMethod = "PayPal";
        order.paymentStatus = "paid";
        order.paymentProviderId = rng.chars(17);
        order.transactions.push(tx(ids, order, "purchase", total, t0, rng));
        return 0;
      }
      order.paymentMethod = "Credit Card";
      const auth = tx(ids, order, "authorization", total, t0, rng);
      order.paymentProviderId = auth.gatewayTransactionId;
      order.transactions.push(auth);
      if ([9, 11].includes(statusId) && rng.chance(0.2)) {
        order.paymentStatus = "authorized";
        return 0;
      }
      order.paymentStatus = "captured";
      order.transactions.push(tx(ids, order, "capture", total, order.shipped || t0 + rng.int(60, DAY), rng, { referenceId: auth.id, card: auth.card }));
      return 0;
    }
  }
}

function refund(rng: Rng, order: OrderRec, until: number, full: boolean, purchase: TransactionRec, pools: OrderPools, ids: OrderCounters): number {
  const at = Math.max(order.created, Math.min(until - 3600, order.created + rng.int(3, 30) * DAY));
  const items: RefundRec["items"] = [];
  let taxCents = 0;
  const lines = full ? order.lines : order.lines.slice(0, 1);
  for (const line of lines) {
    const qty = full ? line.quantity : 1;
    const t = lineTotals(line, order.taxRate);
    items.push({ type: "PRODUCT", itemId: line.id, quantity: qty, cents: (line.priceCents + t.unitTax) * qty });
    taxCents += t.unitTax * qty;
    line.quantityRefunded = qty;
  }
  const totals = orderTotals(order);
  if (full && totals.shippingEx > 0) items.push({ type: "SHIPPING", itemId: order.shipping[0]!.id, quantity: 1, cents: totals.shippingEx + totals.shippingTax });
  let totalCents = items.reduce((sum, i) => sum + i.cents, 0);
  if (full) totalCents = Math.min(totalCents, totals.totalInc);
  const refundTx = tx(ids, order, "refund", totalCents, at, rng, { referenceId: purchase.id, card: purchase.card });
  order.transactions.push(refundTx);
  order.refundedCents = totalCents;
  pools.refunds.push({
    id: ids.refund++, orderId: order.id, created: at, reason: full ? "Customer returned the order" : "Damaged item", totalCents,
    taxCents, items, transactionId: refundTx.gatewayTransactionId, providerId: "stripe",
  });
  return at;
}

/**
 * Generates `count` orders (ids from 100, created over the history; standalone gift certificates
 * first) into `table`, with what each needs to be rebuilt; `each` sees every order once, as generated.
 */
export function genOrders(
  ctx: GenContext, count: number, giftCertificateCount: number, pools: OrderPools, table: OrderTable, each: (order: OrderRec) => void,
): OrderCounters {
  const rng = ctx.rng("orders");
  const ids: OrderCounters = { order: FIRST_ORDER_ID, line: 1, shipping: 1, pickup: 1, orderCoupon: 1, transaction: 1, refund: 1, giftCertificate: 1 };
  for (let i = 0; i < giftCertificateCount; i++) {
    const { first, last } = drawName(rng);
    const cents = rng.pick([1000, 2500, 5000, 10000]);
    const purchased = spread(rng, i, giftCertificateCount, ctx.start, ctx.end - 10 * DAY);
    pools.giftCertificates.push({
      id: ids.giftCertificate++, code: `${rng.chars(3)}-${rng.chars(3)}-${rng.chars(3)}-${rng.chars(3)}`, amountCents: cents,
      balanceCents: rng.chance(0.4) ? cents : rng.int(0, cents / 100) * 100,
      status: rng.weighted([["active", 8], ["pending", 1], ["disabled", 1], ["expired", 1]] as const),
      toName: `${first} ${last}`, toEmail: emailFor(first, last, 800000 + i), fromName: "Store Admin", fromEmail: "admin@example.com",
      customerId: 0, orderId: 0, template: rng.pick(["birthday.html", "girl.html", "boy.html", "celebration.html", "christmas.html", "general.html"]),
      message: "Thank you!", purchased, expires: rng.chance(0.5) ? purchased + 365 * DAY : 0, currencyCode: "USD",
    });
  }
  // Checkout form fields of the billing addresses: a stream of their own (see gen-form-fields.ts).
  const checkout = ctx.rng("order-form-fields");
  for (let i = 0; i < count; i++) {
    const created = spread(rng, i, count, ctx.start + 30 * DAY, ctx.end - 3600);
    const seed = rng.state;
    const counters = { ...ids };
    const order = buildOrder(rng, { created, until: ctx.end, lineCount: isBigOrder(i) ? rng.int(51, 75) : undefined, channelId: isBigOrder(i) ? 1 : undefined }, pools, ids);
    const formSeed = checkout.state;
    order.billingFormFields = drawAddressFormFields(checkout, order.billing.country_iso2);
    table.add(order, { seed, counters, formSeed });
    each(order);
  }
  // Bulk status updates: runs of orders sharing one date_modified second.
  const created = (i: number) => table.created[i]!;
  for (const [runs, at] of [[Math.min(40, Math.ceil(count / 25)), ctx.end - 3 * DAY], [Math.min(7, Math.ceil(count / 100)), ctx.end - 20 * DAY + 1234]]) {
    for (const i of bulkTouched(rng, count, created, runs!, at!)) table.setModified(i, Math.max(table.modified[i]!, at!));
  }
  return ids;
}
