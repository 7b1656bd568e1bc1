/**
 * Store detail beyond the core collections: store configuration (shipping zones and methods,
 * payment methods), customer attributes and segments, metafields, and the per-order and
 * per-product detail (fees, shipments, taxes, messages; reviews, videos, bulk pricing rules,
 * modifiers). Everything is derived deterministically from the seed and the record it belongs
 * to, each from its own random stream, so adding it changes no existing record.
 */
import { Rng } from "../prng.ts";
import { DAY, daysAfter } from "./gen-common.ts";
import { lineTotals, orderTotals } from "./totals.ts";
import type { CustomerRec, OrderRec, ProductRec } from "./types.ts";

/** A customer attribute definition (v3 `/customers/attributes`). */
export interface CustomerAttributeRec {
  id: number;
  name: string;
  type: "string" | "number" | "date";
  created: number;
  modified: number;
}

/** A customer's value of an attribute (v3 `/customers/attribute-values`). */
export interface AttributeValueRec {
  id: number;
  attributeId: number;
  customerId: number;
  value: string;
  created: number;
  modified: number;
}

/** A customer segment (v3 `/segments`). */
export interface SegmentRec {
  id: string;
  name: string;
  description: string;
  created: number;
  modified: number;
}

/** What a metafield is attached to (and the name of its store-wide list). */
export type MetafieldOwner = "product" | "variant" | "category" | "brand" | "order" | "customer";

/** A metafield. */
export interface MetafieldRec {
  id: number;
  owner: MetafieldOwner;
  resourceId: number;
  namespace: string;
  key: string;
  value: string;
  created: number;
  modified: number;
}

/** A shipping method of a zone. */
export interface ShippingMethodRec {
  id: number;
  name: string;
  type: "perorder" | "peritem" | "weight" | "total" | "freeshipping";
  rate: number;
  enabled: boolean;
  channelIds: number[];
}

/** A shipping zone with its methods. */
export interface ShippingZoneRec {
  id: number;
  name: string;
  type: "country" | "state" | "zip" | "global";
  countries: string[];
  enabled: boolean;
  methods: ShippingMethodRec[];
}

/** An enabled payment method (v2 `/payments/methods`). */
export interface PaymentMethodRec {
  code: string;
  name: string;
  testMode: boolean;
}

/** The store-level detail collections. */
export interface StoreExtras {
  customerAttributes: CustomerAttributeRec[];
  attributeValues: AttributeValueRec[];
  /** The attribute values of each customer (by customer id). */
  attributeValuesOf: Map<number, AttributeValueRec[]>;
  segments: SegmentRec[];
  metafields: Record<MetafieldOwner, MetafieldRec[]>;
  shippingZones: ShippingZoneRec[];
  paymentMethods: PaymentMethodRec[];
}

/** The records metafields and attribute values attach to. */
export interface ExtrasSources {
  customers: readonly CustomerRec[];
  products: readonly ProductRec[];
  /** Ids of the orders (the first few hundred get metafields). */
  orderIds: readonly number[];
  brands: readonly { id: number }[];
  categories: readonly { id: number }[];
  /** End of history (epoch seconds). */
  end: number;
}

const ATTRIBUTES: ReadonlyArray<Pick<CustomerAttributeRec, "name" | "type">> = [
  { name: "Loyalty tier", type: "string" },
  { name: "Shoe size", type: "number" },
  { name: "Birthday", type: "date" },
];

const TIERS = ["Bronze", "Silver", "Gold", "Platinum"];

/** Generates the store-level detail for a seed. */
export function genExtras(seed: string | number, from: ExtrasSources): StoreExtras {
  const rng = new Rng(seed, "extras");
  const start = from.end - 700 * DAY;
  const customerAttributes = ATTRIBUTES.map((a, i) => {
    const created = start + i * DAY;
    return { id: i + 1, ...a, created, modified: daysAfter(rng, created, 300) };
  });
  const attributeValues: AttributeValueRec[] = [];
  for (const c of from.customers) {
    for (const a of customerAttributes) {
      if (!rng.chance(0.4)) continue;
      const created = Math.max(c.created, a.created) + rng.int(0, 30) * DAY;
      const value = a.type === "string"
        ? rng.pick(TIERS)
        : a.type === "number"
        ? String(rng.int(5, 13))
        : `19${rng.int(50, 99)}-0${rng.int(1, 9)}-1${rng.int(0, 9)}`;
      attributeValues.push({
        id: attributeValues.length + 1, attributeId: a.id, customerId: c.id, value, created: Math.min(created, from.end),
        modified: daysAfter(rng, created, 60, from.end),
      });
    }
  }
  const segments: SegmentRec[] = ["VIP customers", "Wholesale", "Lapsed buyers"].map((name, i) => ({
    id: rng.uuid(), name, description: `${name} (managed by marketing)`, created: start + i * 7 * DAY,
    modified: daysAfter(rng, start + i * 7 * DAY, 200),
  }));
  const owners: Array<[MetafieldOwner, readonly { id: number }[]]> = [
    ["product", from.products], ["variant", from.products.flatMap((p) => p.variants)], ["category", from.categories],
    ["brand", from.brands], ["order", from.orderIds.slice(0, 400).map((id) => ({ id }))], ["customer", from.customers],
  ];
  const metafields = {} as Record<MetafieldOwner, MetafieldRec[]>;
  for (const [owner, records] of owners) {
    const list: MetafieldRec[] = [];
    // At least one record of every kind carries a metafield, so every list has rows.
    for (const [i, r] of records.entries()) {
      if (i > 0 && !rng.chance(0.35)) continue;
      const created = start + rng.int(0, 650) * DAY;
      list.push({
        id: list.length + 1, owner, resourceId: r.id, namespace: "erp", key: rng.pick(["external_id", "warehouse", "season"]),
        value: rng.chars(8), created, modified: daysAfter(rng, created, 40, from.end),
      });
    }
    metafields[owner] = list;
  }
  const shippingZones: ShippingZoneRec[] = [
    {
      id: 1, name: "United States", type: "country", countries: ["US"], enabled: true,
      methods: [
        { id: 1, name: "Flat Rate", type: "perorder", rate: 8, enabled: true, channelIds: [1] },
        { id: 2, name: "Ship by Weight", type: "weight", rate: 2, enabled: true, channelIds: [1, 2] },
        { id: 3, name: "Free Shipping", type: "freeshipping", rate: 0, enabled: true, channelIds: [1, 2, 3] },
      ],
    },
    {
      id: 2, name: "International", type: "global", countries: [], enabled: true,
      methods: [{ id: 4, name: "International Flat Rate", type: "perorder", rate: 25, enabled: true, channelIds: [1] }],
    },
  ];
  const paymentMethods: PaymentMethodRec[] = [
    { code: "braintree", name: "Braintree", testMode: false },
    { code: "paypalexpress", name: "PayPal Express Checkout", testMode: false },
    { code: "cod", name: "Cash on Delivery", testMode: false },
  ];
  const attributeValuesOf = new Map<number, AttributeValueRec[]>();
  for (const v of attributeValues) attributeValuesOf.set(v.customerId, [...attributeValuesOf.get(v.customerId) ?? [], v]);
  return { customerAttributes, attributeValues, attributeValuesOf, segments, metafields, shippingZones, paymentMethods };
}

// Per-order detail ----------------------------------------------------------------------------

/** An order fee. */
export interface OrderFeeRec {
  id: number;
  name: string;
  cents: number;
  taxCents: number;
}

/** A shipment: the shipped lines of one shipping address. */
export interface ShipmentRec {
  id: number;
  addressId: number;
  created: number;
  tracking: string;
  provider: string;
  method: string;
  items: Array<{ lineId: number; productId: number; quantity: number }>;
}

/** One tax line: a line item's tax, or the shipping's (`lineId` 0). */
export interface OrderTaxRec {
  id: number;
  lineId: number;
  addressId: number;
  pickupId: number;
  cents: number;
  rate: number;
}

/** A message on an order. */
export interface OrderMessageRec {
  id: number;
  customerId: number;
  subject: string;
  message: string;
  flagged: boolean;
  created: number;
}

/** Ids are the order id times this, plus the position: unique per order, stable for a seed. */
const PER_ORDER = 100;

/** The fees of an order (about one order in eight has one). */
export function orderFees(seed: string | number, order: OrderRec): OrderFeeRec[] {
  const rng = new Rng(seed, `fees-${order.id}`);
  if (!rng.chance(0.125)) return [];
  const cents = rng.pick([199, 299, 499]);
  return [{ id: order.id * PER_ORDER + 1, name: "Package protection", cents, taxCents: Math.round(cents * order.taxRate) }];
}

/** The shipments of an order: one per shipping address with shipped lines. */
export function orderShipments(seed: string | number, order: OrderRec): ShipmentRec[] {
  const rng = new Rng(seed, `shipments-${order.id}`);
  const out: ShipmentRec[] = [];
  for (const s of order.shipping) {
    const lines = order.lines.filter((l) => l.addressId === s.id && l.quantityShipped > 0);
    if (lines.length === 0) continue;
    const provider = rng.pick(["ups", "fedex", "usps"]);
    out.push({
      id: order.id * PER_ORDER + out.length + 1, addressId: s.id, created: order.shipped || order.created, provider,
      tracking: `1Z${rng.chars(16, "0123456789ABCDEF")}`, method: s.method,
      items: lines.map((l) => ({ lineId: l.id, productId: l.productId, quantity: l.quantityShipped })),
    });
  }
  return out;
}

/** The tax lines of an order: one per taxed line item, and one for taxed shipping. */
export function orderTaxes(order: OrderRec): OrderTaxRec[] {
  const lines = order.lines.flatMap((l, i) => {
    const tax = lineTotals(l, order.taxRate).totalTax;
    return tax === 0 ? [] : [{
      id: order.id * PER_ORDER + i + 1, lineId: l.id, addressId: l.addressId, pickupId: l.pickupId, cents: tax, rate: order.taxRate,
    }];
  });
  const shippingTax = orderTotals(order).shippingTax;
  if (shippingTax === 0) return lines;
  const shipping = { id: order.id * PER_ORDER + 99, lineId: 0, addressId: order.shipping[0]?.id ?? 0, pickupId: 0, cents: shippingTax, rate: order.taxRate };
  return [...lines, shipping];
}

/** The messages of an order: the customer's checkout message, and now and then a question. */
export function orderMessages(seed: string | number, order: OrderRec): OrderMessageRec[] {
  const rng = new Rng(seed, `messages-${order.id}`);
  const out: OrderMessageRec[] = [];
  const add = (subject: string, message: string, flagged: boolean) =>
    out.push({ id: order.id * PER_ORDER + out.length + 1, customerId: order.customerId, subject, message, flagged, created: order.created + 60 * (out.length + 1) });
  if (order.customerMessage) add("Order comments", order.customerMessage, false);
  if (rng.chance(0.1)) add("Where is my order?", "Could you tell me when this ships?", rng.chance(0.3));
  return out;
}

// Per-product detail --------------------------------------------------------------------------

/** A product review. */
export interface ReviewRec {
  id: number;
  title: string;
  text: string;
  rating: number;
  name: string;
  email: string;
  status: "approved" | "pending" | "disapproved";
  created: number;
}

/** A product's detail: reviews, videos, bulk pricing rules and modifiers. */
export interface ProductDetail {
  reviews: ReviewRec[];
  videos: Array<{ id: number; title: string; videoId: string; sortOrder: number }>;
  bulkRules: Array<{ id: number; min: number; max: number; type: "percent" | "fixed" | "price"; amount: number }>;
  modifiers: Array<{ id: number; name: string; type: "checkbox" | "text"; required: boolean; values: Array<{ id: number; label: string }> }>;
}

/** Ids are the product id times this, plus the position. */
const PER_PRODUCT = 100;

/** A product's detail (about half the products have reviews). */
export function productDetail(seed: string | number, p: ProductRec): ProductDetail {
  const rng = new Rng(seed, `product-detail-${p.id}`);
  const base = p.id * PER_PRODUCT;
  const reviews = Array.from({ length: rng.chance(0.5) ? rng.int(1, 3) : 0 }, (_, i): ReviewRec => ({
    id: base + i + 1, title: rng.pick(["Great", "As described", "Not bad", "Disappointing"]), text: "Arrived quickly.",
    rating: rng.int(1, 5), name: "A. Customer", email: `reviewer${base + i}@example.com`,
    status: rng.weighted([["approved", 6], ["pending", 2], ["disapproved", 1]] as const), created: p.created + (i + 1) * DAY,
  }));
  const videos = rng.chance(0.3) ? [{ id: base + 1, title: `${p.name} in use`, videoId: rng.chars(11, "abcdefghijkLMNOPQ0123456789"), sortOrder: 0 }] : [];
  const bulkRules = rng.chance(0.3)
    ? [{ id: base + 1, min: 5, max: 9, type: "percent" as const, amount: 5 }, { id: base + 2, min: 10, max: 0, type: "percent" as const, amount: 10 }]
    : [];
  const modifiers = rng.chance(0.4)
    ? [{ id: base + 1, name: "Gift wrap", type: "checkbox" as const, required: false, values: [{ id: base + 1, label: "Yes" }, { id: base + 2, label: "No" }] }]
    : [];
  return { reviews, videos, bulkRules, modifiers };
}
