/** Renders channels, pages, promotions, order transactions and refunds in the v3 shapes. */
import { amount, money4 } from "../money.ts";
import { iso, isoZ } from "../time.ts";
import type { EmulatorStore } from "../data/store.ts";
import type { ChannelRec, OrderRec, PageRec, PromotionRec, RefundRec, TransactionRec } from "../data/types.ts";

/** One channel. */
export function renderChannel(store: EmulatorStore, c: ChannelRec): Record<string, unknown> {
  return store.decorate("channels", {
    id: c.id, name: c.name, type: c.type, platform: c.platform, external_id: "", is_listable_from_ui: true,
    is_visible: c.status === "active" || c.status === "connected", status: c.status, is_enabled: true,
    date_created: iso(c.created), date_modified: iso(c.modified),
    icon_url: `https://cdn.example.com/channel-icons/${c.platform}.svg`,
  }, c.extra);
}

/** One content page; `withBody` adds the body of pages that have one (`include=body`). */
export function renderPage(store: EmulatorStore, p: PageRec, withBody: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: p.id, channel_id: p.channelId, name: p.name, is_visible: p.isVisible, parent_id: p.parentId, sort_order: p.sortOrder,
    type: p.type, is_homepage: p.isHomepage, is_customers_only: false, url: p.url,
  };
  if (p.type === "link") out.link = p.url;
  else {
    Object.assign(out, { meta_title: null, meta_keywords: null, meta_description: null, search_keywords: null });
    if (p.type === "contact_form") Object.assign(out, { email: "hello@example.com", contact_fields: "fullname,phone,companyname" });
    if (withBody) Object.assign(out, { body: p.body, content_type: p.type === "raw" ? "text/html" : "text/html" });
  }
  return store.decorate("pages", out, p.extra);
}

/** One promotion. */
export function renderPromotion(store: EmulatorStore, p: PromotionRec): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: p.id, redemption_type: p.redemptionType, name: p.name, display_name: p.name, created_from: "api",
    channels: p.channels.map((id) => ({ id })),
    customer: { group_ids: [], minimum_order_count: 0, excluded_group_ids: [] },
    rules: [{
      action: { cart_value: { discount: { percentage_amount: String(p.percent) } } }, apply_once: true, stop: false,
      ...(p.minimumSpendCents ? { condition: { cart: { minimum_spend: money4(p.minimumSpendCents).replace(/00$/, "") } } } : {}),
    }],
    current_uses: p.currentUses, max_uses: p.maxUses, status: p.status, start_date: iso(p.start),
    ...(p.end ? { end_date: iso(p.end) } : {}), stop: false, can_be_used_with_other_promotions: true, currency_code: "USD",
    notifications: [],
  };
  if (p.redemptionType === "COUPON") {
    Object.assign(out, {
      codes: { id: p.id * 10, code: p.code, current_uses: p.currentUses, max_uses: p.maxUses, created: isoZ(p.created) },
      coupon_overrides_other_promotions: false, coupon_overrides_automatic_when_offering_higher_discounts: false,
      multiple_codes: { has_multiple_codes: false }, coupon_type: "SINGLE",
    });
  }
  return store.decorate("promotions", out, p.extra);
}

/** One payment transaction of an order. */
export function renderTransaction(store: EmulatorStore, o: OrderRec, t: TransactionRec): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: t.id, order_id: String(o.id), event: t.event, method: t.method, amount: amount(t.amountCents), currency: o.currencyCode,
    gateway: t.gateway, gateway_transaction_id: t.gatewayTransactionId, date_created: isoZ(t.created), test: false,
    status: t.status, fraud_review: t.fraudReview,
  };
  if (t.referenceId !== null) out.reference_transaction_id = t.referenceId;
  Object.assign(out, {
    offline: t.method === "offline" ? { display_name: "Cash" } : null, custom: null, payment_method_id: t.gateway === "stripe" ? "stripe.card" : t.gateway,
    payment_instrument_token: null, provider_instrument_token: null, provider_customer_id: null,
    avs_result: { code: t.card ? "Y" : "", message: t.card ? "Street address and postal code match" : "", street_match: t.card ? "Y" : "", postal_match: t.card ? "Y" : "" },
    cvv_result: { code: t.card ? "M" : "", message: t.card ? "CVV matches" : "" },
  });
  if (t.card) {
    out.credit_card = { card_type: t.card.type, card_iin: t.card.iin, card_last4: t.card.last4, card_expiry_month: t.card.month, card_expiry_year: t.card.year };
  }
  Object.assign(out, { gift_certificate: null, store_credit: null, custom_provider_field_result: null });
  return store.decorate("transactions", out);
}

/** One refund. */
export function renderRefund(store: EmulatorStore, r: RefundRec): Record<string, unknown> {
  return store.decorate("refunds", {
    id: r.id, order_id: r.orderId, user_id: 0, created: iso(r.created), reason: r.reason, total_amount: amount(r.totalCents),
    total_tax: amount(r.taxCents), uses_merchant_override_values: false,
    items: r.items.map((i) => ({ item_type: i.type, item_id: i.itemId, quantity: i.quantity, reason: r.reason, requested_amount: amount(i.cents) })),
    payments: [{ id: r.id, provider_id: r.providerId, amount: amount(r.totalCents), offline: false, is_declined: false, declined_message: "", transaction_id: r.transactionId }],
  }, r.extra);
}
