/** Renders orders and their sub-resources in the v2 shapes (RFC 2822 dates, 4-decimal money strings). */
import { money4 } from "../money.ts";
import { rfc2822 } from "../time.ts";
import { ORDER_STATUSES } from "../data/gen-orders.ts";
import type { EmulatorStore } from "../data/store.ts";
import { lineTotals, orderTotals } from "../data/totals.ts";
import { orderFees } from "../data/gen-extras.ts";
import { addressFields } from "./address.ts";
import { renderOrderFee } from "./extras.ts";
import type { OrderCouponRec, OrderLine, OrderRec, ShippingRec } from "../data/types.ts";

/** A consignment returns at most this many line items, then carries `__warning__`. */
export const CONSIGNMENT_LINE_LIMIT = 50;

/** How an order list asked for consignments. */
export interface OrderIncludes {
  /** `include=consignments`: consignments with line items as links. */
  consignments: boolean;
  /** `include=consignments.line_items`: consignments with full line items (at most 50 each). */
  lineItems: boolean;
  /** `include=fees`. */
  fees: boolean;
}

/** Where links point: the emulator's v2 base URL, e.g. `http://127.0.0.1:8080/stores/abc/v2`. */
export type V2Base = string;

const link = (base: V2Base, resource: string) => ({ url: `${base}${resource}`, resource });

/** One order line item (GET /v2/orders/{id}/products, and inline in consignments). */
export function renderOrderProduct(store: EmulatorStore, order: OrderRec, line: OrderLine): Record<string, unknown> {
  const t = lineTotals(line, order.taxRate);
  const refunded = line.quantityRefunded * (line.priceCents + t.unitTax);
  const out: Record<string, unknown> = {
    id: line.id, order_id: order.id, product_id: line.productId, variant_id: line.variantId,
    order_pickup_method_id: line.pickupId, order_address_id: line.addressId, name: line.name, name_customer: line.name,
    name_merchant: line.name, sku: line.sku, upc: "", type: line.type, base_price: money4(line.priceCents),
    price_ex_tax: money4(line.priceCents), price_inc_tax: money4(line.priceCents + t.unitTax), price_tax: money4(t.unitTax),
    base_total: money4(t.totalEx), total_ex_tax: money4(t.totalEx), total_inc_tax: money4(t.totalInc), total_tax: money4(t.totalTax),
    weight: line.weight.toFixed(4), width: "0.0000", height: "0.0000", depth: "0.0000", quantity: line.quantity,
    base_cost_price: money4(line.costCents), cost_price_inc_tax: money4(line.costCents), cost_price_ex_tax: money4(line.costCents),
    cost_price_tax: money4(0), is_refunded: line.quantityRefunded > 0, quantity_refunded: line.quantityRefunded,
    refund_amount: money4(refunded), return_id: 0, wrapping_id: 0, wrapping_name: "", base_wrapping_cost: money4(0),
    wrapping_cost_ex_tax: money4(0), wrapping_cost_inc_tax: money4(0), wrapping_cost_tax: money4(0), wrapping_message: "",
    quantity_shipped: line.quantityShipped, event_name: null, event_date: null, fixed_shipping_cost: money4(0), ebay_item_id: "",
    ebay_transaction_id: "", option_set_id: line.options.length ? 10 + line.options.length : null, parent_order_product_id: null,
    is_bundled_product: false, bin_picking_number: "", external_id: null, brand: line.brand,
    applied_discounts: line.discountCents > 0 && order.coupons[0]
      ? [{ id: String(order.coupons[0].couponId), amount: money4(line.discountCents), name: "Coupon", code: order.coupons[0].code, target: "order" }]
      : [],
    product_options: line.options.map((o) => ({
      id: o.id, option_id: o.optionId, order_product_id: line.id, product_option_id: o.productOptionId, display_name: o.name,
      display_name_customer: o.name, display_name_merchant: o.name, display_value: o.value, display_value_customer: o.value,
      display_value_merchant: o.value, value: String(o.valueId), type: o.name === "Color" ? "Swatch" : "Multiple choice",
      name: o.name, display_style: o.name === "Color" ? "" : "Rectangle",
    })),
    configurable_fields: [],
    gift_certificate_id: line.giftCertificateId,
    discounted_total_inc_tax: money4(t.totalInc - line.discountCents),
  };
  return store.decorate("order_products", out);
}

/** One shipping address (GET /v2/orders/{id}/shipping_addresses). */
export function renderShippingAddress(store: EmulatorStore, order: OrderRec, s: ShippingRec, base: V2Base): Record<string, unknown> {
  const lines = order.lines.filter((l) => l.addressId === s.id);
  const tax = Math.round(s.costCents * order.taxRate);
  const out: Record<string, unknown> = {
    id: s.id, order_id: order.id, ...addressFields(s.address),
    items_total: lines.reduce((n, l) => n + l.quantity, 0), items_shipped: lines.reduce((n, l) => n + l.quantityShipped, 0),
    shipping_method: s.method, base_cost: money4(s.costCents), cost_ex_tax: money4(s.costCents), cost_inc_tax: money4(s.costCents + tax),
    cost_tax: money4(tax), cost_tax_class_id: 2, base_handling_cost: money4(0), handling_cost_ex_tax: money4(0),
    handling_cost_inc_tax: money4(0), handling_cost_tax: money4(0), handling_cost_tax_class_id: 2, shipping_zone_id: s.zoneId,
    shipping_zone_name: s.zoneName, shipping_quotes: link(base, `/orders/${order.id}/shippingaddresses/${s.id}/shippingquotes`),
    form_fields: [],
  };
  return store.decorate("order_shipping_addresses", out);
}

/** One applied coupon (GET /v2/orders/{id}/coupons). */
export function renderOrderCoupon(store: EmulatorStore, order: OrderRec, c: OrderCouponRec): Record<string, unknown> {
  return store.decorate("order_coupons", {
    id: c.id, coupon_id: c.couponId, order_id: order.id, code: c.code, amount: c.amount, type: c.type,
    discount: c.discountCents / 100,
  });
}

function lineItems(store: EmulatorStore, order: OrderRec, lines: OrderLine[], full: boolean, base: V2Base): Record<string, unknown> {
  if (!full) return { line_items: lines.map((l) => link(base, `/orders/${order.id}/products/${l.id}`)) };
  const out: Record<string, unknown> = {
    line_items: lines.slice(0, CONSIGNMENT_LINE_LIMIT).map((l) => renderOrderProduct(store, order, l)),
  };
  if (lines.length > CONSIGNMENT_LINE_LIMIT) {
    out.__warning__ = `This consignment has ${lines.length} line items; only the first ${CONSIGNMENT_LINE_LIMIT} are returned. ` +
      `Use /v2/orders/${order.id}/products to read all of them.`;
  }
  return out;
}

/** An order's consignments in the object structure (`consignment_structure=object`). */
export function renderConsignments(store: EmulatorStore, order: OrderRec, full: boolean, base: V2Base): Record<string, unknown> {
  const shipping = order.shipping.map((s) => {
    const lines = order.lines.filter((l) => l.addressId === s.id);
    const tax = Math.round(s.costCents * order.taxRate);
    return {
      id: s.id, ...addressFields(s.address), form_fields: [], shipping_method: s.method,
      ...lineItems(store, order, lines, full, base),
      items_total: lines.reduce((n, l) => n + l.quantity, 0), items_shipped: lines.reduce((n, l) => n + l.quantityShipped, 0),
      base_cost: s.costCents / 100, cost_ex_tax: s.costCents / 100, cost_inc_tax: (s.costCents + tax) / 100, cost_tax: tax / 100,
      cost_tax_class_id: 2, base_handling_cost: 0, handling_cost_ex_tax: 0, handling_cost_inc_tax: 0, handling_cost_tax: 0,
      handling_cost_tax_class_id: 2, shipping_zone_id: s.zoneId, shipping_zone_name: s.zoneName,
      shipping_quotes: link(base, `/orders/${order.id}/consignments/shipping/${s.id}/shipping_quotes`),
    };
  });
  const pickups = order.pickup
    ? [{
      id: order.pickup.id, pickup_method_id: order.pickup.methodId, pickup_method_display_name: "Pick Up In Store",
      collection_instructions: "Bring your order number and an ID.", collection_time_description: "Mon-Fri 9am - 6pm",
      location: {
        id: order.pickup.location.id, name: order.pickup.location.name, code: order.pickup.location.code,
        address_line_1: order.pickup.location.address.street_1, address_line_2: order.pickup.location.address.street_2,
        city: order.pickup.location.address.city, state: order.pickup.location.address.state,
        postal_code: order.pickup.location.address.zip, country_alpha2: order.pickup.location.address.country_iso2,
        email: order.pickup.location.address.email, phone: order.pickup.location.address.phone,
      },
      ...lineItems(store, order, order.lines.filter((l) => l.pickupId === order.pickup!.id), full, base),
    }]
    : [];
  const digital = order.lines.filter((l) => l.type === "digital");
  const downloads = digital.length ? [{ recipient_email: order.billing.email, ...lineItems(store, order, digital, full, base) }] : [];
  const gifts = order.lines.filter((l) => l.type === "giftcertificate").map((l) => ({
    recipient_email: l.recipientEmail, ...lineItems(store, order, [l], full, base),
  }));
  return { pickups, shipping, downloads, email: { gift_certificates: gifts } };
}

/** One order (GET /v2/orders, /v2/orders/{id}). */
export function renderOrder(store: EmulatorStore, order: OrderRec, base: V2Base, include?: OrderIncludes): Record<string, unknown> {
  const t = orderTotals(order);
  const status = ORDER_STATUSES[order.statusId] ?? "Unknown";
  const out: Record<string, unknown> = {
    id: order.id, customer_id: order.customerId, date_created: rfc2822(order.created), date_modified: rfc2822(order.modified),
    date_shipped: order.shipped ? rfc2822(order.shipped) : "", status_id: order.statusId, status, custom_status: status,
    subtotal_ex_tax: money4(t.subtotalEx), subtotal_inc_tax: money4(t.subtotalEx + t.subtotalTax), subtotal_tax: money4(t.subtotalTax),
    base_shipping_cost: money4(t.shippingEx), shipping_cost_ex_tax: money4(t.shippingEx),
    shipping_cost_inc_tax: money4(t.shippingEx + t.shippingTax), shipping_cost_tax: money4(t.shippingTax), shipping_cost_tax_class_id: 2,
    base_handling_cost: money4(0), handling_cost_ex_tax: money4(0), handling_cost_inc_tax: money4(0), handling_cost_tax: money4(0),
    handling_cost_tax_class_id: 2, base_wrapping_cost: money4(0), wrapping_cost_ex_tax: money4(0), wrapping_cost_inc_tax: money4(0),
    wrapping_cost_tax: money4(0), wrapping_cost_tax_class_id: 3, total_ex_tax: money4(t.totalEx), total_inc_tax: money4(t.totalInc),
    total_tax: money4(t.totalTax), is_tax_inclusive_pricing: false, items_total: t.itemsTotal, items_shipped: t.itemsShipped,
    payment_method: order.paymentMethod, payment_provider_id: order.paymentProviderId, payment_status: order.paymentStatus,
    refunded_amount: money4(order.refundedCents), order_is_digital: order.lines.every((l) => l.type !== "physical"),
    store_credit_amount: money4(0), gift_certificate_amount: money4(0), ip_address: order.ip, ip_address_v6: "",
    geoip_country: order.ip ? order.billing.country : "", geoip_country_iso2: order.ip ? order.billing.country_iso2 : "",
    currency_id: order.currencyId, currency_code: order.currencyCode, currency_exchange_rate: "1.0000000000",
    default_currency_id: order.currencyId, default_currency_code: order.currencyCode, staff_notes: order.staffNotes,
    customer_message: order.customerMessage, discount_amount: money4(0), coupon_discount: money4(t.discount),
    shipping_address_count: order.shipping.length, is_deleted: order.deleted, ebay_order_id: "0", cart_id: order.cartId,
    billing_address: { ...addressFields(order.billing), form_fields: order.billingFormFields.map((f) => ({ name: f.name, value: f.value })) }, is_email_opt_in: order.emailOptIn,
    credit_card_type: null, order_source: order.source, channel_id: order.channelId, external_source: order.externalSource,
  };
  if (include?.consignments || include?.lineItems) out.consignments = renderConsignments(store, order, include.lineItems, base);
  Object.assign(out, {
    products: link(base, `/orders/${order.id}/products`),
    shipping_addresses: link(base, `/orders/${order.id}/shippingaddresses`),
    coupons: link(base, `/orders/${order.id}/coupons`),
    external_id: null, external_merchant_id: null, tax_provider_id: order.taxRate ? "BasicTaxProvider" : "",
    customer_locale: "en", external_order_id: order.channelId === 3 ? `111-${String(order.id * 7919).padStart(7, "0")}-${String(order.id).padStart(7, "0")}` : "",
    store_default_currency_code: "USD", store_default_to_transactional_exchange_rate: "1.0000000000",
  });
  if (include?.fees) out.fees = orderFees(store.seed, order).map(renderOrderFee);
  return store.decorate("orders", out, order.extra);
}
