/** Store-level resources: store profile, channels, currencies, content pages, marketing. */
import { defineStreams } from "../src/engine/registry.ts";
import store from "./schemas/store.ts";
import channels from "./schemas/channels.ts";
import currencies from "./schemas/currencies.ts";
import pages from "./schemas/pages.ts";
import coupons from "./schemas/coupons.ts";
import promotions from "./schemas/promotions.ts";
import giftCertificates from "./schemas/gift_certificates.ts";

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
]);
