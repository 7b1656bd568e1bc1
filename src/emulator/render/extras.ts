/**
 * Renders the store detail of `../data/gen-extras.ts`: order fees, shipments, taxes, messages and
 * statuses, shipping zones and methods, payment methods (v2), customer attributes, segments,
 * metafields and product reviews, videos, bulk pricing rules and modifiers (v3).
 */
import { money4 } from "../money.ts";
import { addressFields } from "./address.ts";
import { iso, isoZ, rfc2822 } from "../time.ts";
import { ORDER_STATUSES } from "../data/gen-orders.ts";
import type {
  AttributeValueRec, CustomerAttributeRec, MetafieldRec, OrderFeeRec, OrderMessageRec, OrderTaxRec, PaymentMethodRec, ProductDetail,
  ReviewRec, SegmentRec, ShipmentRec, ShippingMethodRec, ShippingZoneRec,
} from "../data/gen-extras.ts";
import type { OrderRec } from "../data/types.ts";

/** The order statuses in the order `/v2/order_statuses` and `/v2/orders/count` list them. */
export const STATUS_ORDER = [0, 1, 7, 11, 9, 8, 3, 10, 2, 5, 6, 4, 12, 13, 14];

/** One order status (GET /v2/order_statuses). */
export function renderOrderStatus(id: number): Record<string, unknown> {
  const name = ORDER_STATUSES[id] ?? "Unknown";
  return { id, name, system_label: name, custom_label: name, system_description: name, sort_order: STATUS_ORDER.indexOf(id) };
}

/** One order fee (inline with `include=fees`). */
export function renderOrderFee(f: OrderFeeRec): Record<string, unknown> {
  return {
    id: f.id, type: "custom_fee", display_name_customer: f.name, display_name_merchant: f.name, source: "app",
    base_cost: money4(f.cents), cost_ex_tax: money4(f.cents), cost_inc_tax: money4(f.cents + f.taxCents), cost_tax: money4(f.taxCents),
    tax_class_id: null,
  };
}

/** One shipment (GET /v2/orders/{id}/shipments). */
export function renderShipment(order: OrderRec, s: ShipmentRec): Record<string, unknown> {
  const address = order.shipping.find((a) => a.id === s.addressId)?.address ?? order.billing;
  return {
    id: s.id, order_id: order.id, customer_id: order.customerId, order_address_id: s.addressId, date_created: rfc2822(s.created),
    tracking_number: s.tracking, merchant_shipping_cost: money4(0), shipping_method: s.method, shipping_provider: s.provider,
    tracking_carrier: s.provider, tracking_link: "", comments: "", billing_address: addressFields(order.billing), shipping_address: addressFields(address),
    items: s.items.map((i) => ({ order_product_id: i.lineId, product_id: i.productId, quantity: i.quantity })),
    shipping_provider_display_name: s.provider.toUpperCase(), generated_tracking_link: "",
  };
}

/** One tax line (GET /v2/orders/{id}/taxes). */
export function renderOrderTax(order: OrderRec, t: OrderTaxRec): Record<string, unknown> {
  return {
    id: t.id, order_id: order.id, order_address_id: t.addressId, tax_rate_id: 1, sales_tax_id: "", tax_class_id: 0, name: "Sales Tax",
    class: "Default Tax Class", rate: (t.rate * 100).toFixed(4), priority: 0, priority_amount: money4(t.cents),
    line_amount: money4(t.cents), order_pickup_method_id: t.pickupId, order_product_id: t.lineId ? String(t.lineId) : "", line_item_type: t.lineId ? "item" : "shipping",
  };
}

/** One order message (GET /v2/orders/{id}/messages). */
export function renderOrderMessage(order: OrderRec, m: OrderMessageRec): Record<string, unknown> {
  return {
    id: m.id, order_id: order.id, staff_id: 0, customer_id: m.customerId, type: "customer", subject: m.subject, message: m.message,
    status: "read", is_flagged: m.flagged, date_created: rfc2822(m.created), customer: {},
  };
}

/** One shipping zone (GET /v2/shipping/zones). */
export function renderShippingZone(z: ShippingZoneRec): Record<string, unknown> {
  return {
    id: z.id, name: z.name, type: z.type, locations: z.countries.map((c, i) => ({ id: z.id * 10 + i + 1, country_iso2: c })),
    free_shipping: { enabled: false, minimum_sub_total: money4(0), exclude_fixed_shipping_products: false },
    handling_fees: { fixed_surcharge: "0", display_separately: true, percentage_surcharge: "0" }, enabled: z.enabled,
  };
}

/** One shipping method of a zone (GET /v2/shipping/zones/{id}/methods). */
export function renderShippingMethod(m: ShippingMethodRec): Record<string, unknown> {
  return {
    id: m.id, name: m.name, type: m.type, settings: m.type === "freeshipping" ? {} : { rate: m.rate }, enabled: m.enabled,
    handling_fees: { fixed_surcharge: 0 }, is_fallback: false, channel_ids: m.channelIds,
  };
}

/** One payment method (GET /v2/payments/methods). */
export function renderPaymentMethod(m: PaymentMethodRec): Record<string, unknown> {
  return { code: m.code, name: m.name, test_mode: m.testMode };
}

/** One customer attribute definition (GET /v3/customers/attributes). */
export function renderCustomerAttribute(a: CustomerAttributeRec): Record<string, unknown> {
  return { id: a.id, name: a.name, type: a.type, date_created: isoZ(a.created), date_modified: isoZ(a.modified) };
}

/** One customer attribute value (GET /v3/customers/attribute-values, and `include=attributes`). */
export function renderAttributeValue(v: AttributeValueRec): Record<string, unknown> {
  return {
    id: v.id, attribute_id: v.attributeId, attribute_value: v.value, customer_id: v.customerId, date_created: isoZ(v.created),
    date_modified: isoZ(v.modified),
  };
}

/** One segment (GET /v3/segments). */
export function renderSegment(s: SegmentRec): Record<string, unknown> {
  return { id: s.id, name: s.name, description: s.description, created_at: isoZ(s.created), updated_at: isoZ(s.modified) };
}

/** One metafield (the store-wide metafield lists). */
export function renderMetafield(m: MetafieldRec): Record<string, unknown> {
  return {
    id: m.id, key: m.key, value: m.value, namespace: m.namespace, permission_set: "app_only", resource_type: m.owner,
    resource_id: m.resourceId, description: "", date_created: iso(m.created), date_modified: iso(m.modified), owner_client_id: "emulator",
  };
}

/** One product review (GET /v3/catalog/products/{id}/reviews). */
export function renderReview(productId: number, r: ReviewRec): Record<string, unknown> {
  return {
    id: r.id, product_id: productId, title: r.title, text: r.text, status: r.status, rating: r.rating, email: r.email, name: r.name,
    date_reviewed: iso(r.created), date_created: iso(r.created), date_modified: iso(r.created),
  };
}

/** The `include=videos` entries of a product. */
export function renderVideos(productId: number, d: ProductDetail): Record<string, unknown>[] {
  return d.videos.map((v) => ({
    id: v.id, product_id: productId, title: v.title, description: "", sort_order: v.sortOrder, type: "youtube", video_id: v.videoId,
    length: "01:30",
  }));
}

/** The `include=bulk_pricing_rules` entries of a product. */
export function renderBulkRules(d: ProductDetail): Record<string, unknown>[] {
  return d.bulkRules.map((r) => ({ id: r.id, quantity_min: r.min, quantity_max: r.max, type: r.type, amount: r.amount }));
}

/** The `include=modifiers` entries of a product. */
export function renderModifiers(productId: number, d: ProductDetail): Record<string, unknown>[] {
  return d.modifiers.map((m) => ({
    id: m.id, product_id: productId, name: m.name, display_name: m.name, type: m.type, required: m.required, sort_order: 0,
    config: { checked_by_default: false, checkbox_label: m.name },
    option_values: m.values.map((v, k) => ({ id: v.id, option_id: m.id, label: v.label, sort_order: k, is_default: k === 1, value_data: { checked_value: k === 0 } })),
  }));
}
