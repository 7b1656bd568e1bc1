/** Renders the other v2 resources: customer groups, coupons, currencies, gift certificates, the store profile. */
import { money4 } from "../money.ts";
import { rfc2822, sqlDateTime } from "../time.ts";
import type { EmulatorStore } from "../data/store.ts";
import type { CouponRec, CurrencyRec, CustomerGroupRec, GiftCertificateRec } from "../data/types.ts";

/** A customer group. Its dates follow the spec's example (`2023-07-17 06:30:41`), not RFC 2822. */
export function renderCustomerGroup(store: EmulatorStore, g: CustomerGroupRec): Record<string, unknown> {
  return store.decorate("customer_groups", {
    id: g.id, name: g.name, is_default: g.isDefault, category_access: { type: "all" },
    discount_rules: g.discountPercent ? [{ type: "all", method: "percent", amount: `${g.discountPercent}.0000` }] : [],
    date_created: sqlDateTime(g.created), date_modified: sqlDateTime(g.modified), is_group_for_guests: g.isGuests,
  }, g.extra);
}

/** A legacy coupon. */
export function renderCoupon(store: EmulatorStore, c: CouponRec): Record<string, unknown> {
  return store.decorate("coupons", {
    id: c.id, name: c.name, type: c.type, amount: money4(c.amount * 100), min_purchase: money4(c.minPurchaseCents),
    expires: c.expires ? rfc2822(c.expires) : "", enabled: c.enabled, code: c.code,
    applies_to: { entity: "categories", ids: [0] }, num_uses: c.numUses, max_uses: c.maxUses,
    max_uses_per_customer: c.maxUsesPerCustomer, restricted_to: c.countries ? { countries: c.countries } : {},
    shipping_methods: [], date_created: rfc2822(c.created),
  }, c.extra);
}

/** A currency. `last_updated` is RFC 2822 like every v2 date (the spec's `date-time` format is wrong). */
export function renderCurrency(store: EmulatorStore, c: CurrencyRec): Record<string, unknown> {
  return store.decorate("currencies", {
    id: c.id, is_default: c.isDefault, last_updated: rfc2822(c.updated), country_iso2: c.countryIso2,
    default_for_country_codes: c.isDefault ? [] : [c.countryIso2], currency_code: c.code, currency_exchange_rate: c.rate,
    name: c.name, token: c.token, auto_update: !c.isDefault, decimal_token: ".", thousands_token: ",", decimal_places: 2,
    token_location: "left", enabled: c.enabled, is_transactional: c.transactional, use_default_name: true,
  }, c.extra);
}

/** A gift certificate. Its dates are Unix timestamps as strings, as the spec documents. */
export function renderGiftCertificate(store: EmulatorStore, g: GiftCertificateRec): Record<string, unknown> {
  return store.decorate("gift_certificates", {
    id: g.id, code: g.code, amount: money4(g.amountCents), status: g.status, balance: money4(g.balanceCents), to_name: g.toName,
    order_id: g.orderId, template: g.template, message: g.message, to_email: g.toEmail, from_name: g.fromName,
    from_email: g.fromEmail, customer_id: g.customerId, expiry_date: g.expires ? String(g.expires) : "",
    purchase_date: String(g.purchased), currency_code: g.currencyCode,
  }, g.extra);
}

/** The store profile (GET /v2/store). */
export function renderStoreInfo(store: EmulatorStore, origin: string): Record<string, unknown> {
  const hash = store.storeHash;
  return store.decorate("store", {
    id: hash, account_uuid: "8d4d492f-17a1-4d95-b396-e1c5720815a5", domain: `${hash}.example.com`,
    secure_url: `https://${hash}.example.com`, control_panel_base_url: `https://store-${hash}.mybigcommerce.com`, status: "live",
    name: "Demo Store", first_name: "Jane", last_name: "Doe", address: "123 Main Street, Austin, TX 78726", country: "United States",
    country_code: "US", infrastructure_region: "us-central1", phone: "555-123-4567", admin_email: "admin@example.com",
    order_email: "orders@example.com", favicon_url: `${origin}/favicon.ico`,
    timezone: {
      name: "America/Chicago", raw_offset: -21600, dst_offset: -18000, dst_correction: true,
      date_format: { display: "M jS Y", export: "M jS Y", extended_display: "M jS Y @ g:i A" },
    },
    language: "en", currency: "USD", currency_symbol: "$", decimal_separator: ".", thousands_separator: ",", decimal_places: 2,
    currency_symbol_location: "left", weight_units: "LBS", dimension_units: "Inches", dimension_decimal_places: 2,
    dimension_decimal_token: ".", dimension_thousands_token: ",", plan_name: "Standard", plan_level: "Standard",
    plan_is_trial: false, industry: "Home & Garden", logo: [], is_price_entered_with_tax: false, store_id: 1000001,
    default_channel_id: 1, default_site_id: 1000, active_comparison_modules: [],
    features: {
      stencil_enabled: true, sitewidehttps_enabled: true, facebook_catalog_id: "", checkout_type: "optimized",
      wishlists_enabled: true, graphql_storefront_api_enabled: true, shopper_consent_tracking_enabled: true,
      multi_storefront_enabled: true, storefront_limits: { active: 3, total_including_inactive: 3 },
    },
  });
}
