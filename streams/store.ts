/** Store-level resources: store profile, channels, currencies, content pages, marketing, shipping and payment settings. */
import { defineStreams } from "../src/engine/registry.ts";
import store from "./schemas/store.ts";
import channels from "./schemas/channels.ts";
import currencies from "./schemas/currencies.ts";
import pages from "./schemas/pages.ts";
import coupons from "./schemas/coupons.ts";
import promotions from "./schemas/promotions.ts";
import giftCertificates from "./schemas/gift_certificates.ts";
import shippingZones from "./schemas/shipping_zones.ts";
import shippingMethods from "./schemas/shipping_methods.ts";
import paymentMethods from "./schemas/payment_methods.ts";

const INFORMATION_SCOPE = "store_v2_information_read_only";
const MARKETING_SCOPE = "store_v2_marketing_read_only";

export default defineStreams([
  {
    name: "store",
    description: "The store's profile (one row).",
    api: "v2",
    path: "store",
    pagination: "single",
    primaryKey: ["id"],
    scope: INFORMATION_SCOPE,
    schema: store,
  },
  {
    name: "channels",
    description: "Sales channels (storefronts, marketplaces, POS).",
    api: "v3",
    path: "channels",
    primaryKey: ["id"],
    cursor: { field: "date_modified", filter: "date_modified:min", upperFilter: "date_modified:max", filterMayExclude: true },
    scope: "store_channel_settings_read_only",
    schema: channels,
  },
  {
    name: "currencies",
    description: "Currencies the store sells in.",
    api: "v2",
    path: "currencies",
    primaryKey: ["id"],
    scope: INFORMATION_SCOPE,
    schema: currencies,
  },
  {
    name: "pages",
    description: "Content pages.",
    api: "v3",
    path: "content/pages",
    primaryKey: ["id"],
    channelFilter: "channel_id",
    scope: "store_v2_content_read_only",
    schema: pages,
  },
  {
    name: "coupons",
    description: "Coupon codes (legacy v2 coupons), read by keyset on min_id.",
    api: "v2",
    path: "coupons",
    pagination: "v2-keyset",
    primaryKey: ["id"],
    // The list carries no total: a read is checked against coupons/count.
    count: { api: "v2", path: "coupons/count", total: "count", unfiltered: true },
    scope: MARKETING_SCOPE,
    schema: coupons,
  },
  {
    name: "promotions",
    description: "Promotions (automatic and coupon-based).",
    api: "v3",
    path: "promotions",
    primaryKey: ["id"],
    channelFilter: "channels",
    scope: MARKETING_SCOPE,
    schema: promotions,
  },
  {
    name: "gift_certificates",
    description: "Gift certificates.",
    api: "v2",
    path: "gift_certificates",
    primaryKey: ["id"],
    scope: MARKETING_SCOPE,
    schema: giftCertificates,
  },
  {
    name: "shipping_zones",
    description: "Shipping zones (one unpaged list).",
    api: "v2",
    path: "shipping/zones",
    pagination: "single",
    primaryKey: ["id"],
    scope: INFORMATION_SCOPE,
    schema: shippingZones,
  },
  {
    name: "shipping_methods",
    description: "Shipping methods of every zone, one request per zone.",
    primaryKey: ["id", "zone_id"],
    // No channel filter on the endpoint: the rows say which channels they serve.
    channelField: "channel_ids",
    scope: INFORMATION_SCOPE,
    schema: shippingMethods,
    parent: {
      stream: "shipping_zones",
      keys: { zone_id: "id" },
      source: { kind: "subresource", api: "v2", path: "shipping/zones/{id}/methods", pagination: "single" },
    },
  },
  {
    name: "payment_methods",
    description: "Enabled payment methods, best effort: the v2 endpoint is deprecated and may not list every provider; " +
      "a 404 is a warning, not a failure. Not selected by default.",
    api: "v2",
    path: "payments/methods",
    primaryKey: ["code"],
    selectedByDefault: false,
    bestEffort: true,
    scope: "store_payments_methods_read",
    schema: paymentMethods,
  },
]);
