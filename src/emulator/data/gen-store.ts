/** Generates the store-level resources: channels, currencies, locations, pages, coupons, promotions. */
import { DAY, daysAfter, type GenContext, spread } from "./gen-common.ts";
import type { ChannelRec, CouponRec, CurrencyRec, InventoryLocation, LocationRec, PageRec, PromotionRec } from "./types.ts";

/** Three channels: the storefront (1), a POS (2) and a marketplace (3). */
export function genChannels(ctx: GenContext): ChannelRec[] {
  const rng = ctx.rng("channels");
  const base = ctx.start - 45 * DAY;
  const rows: Array<[string, ChannelRec["type"], string, string]> = [
    ["Demo Storefront", "storefront", "bigcommerce", "active"],
    ["Demo POS", "pos", "square", "active"],
    ["Amazon US", "marketplace", "amazon", "connected"],
  ];
  return rows.map(([name, type, platform, status], i) => {
    const created = base + i * 30 * DAY + rng.int(0, DAY);
    return { id: i + 1, name, type, platform, status, created, modified: daysAfter(rng, created, 400) };
  });
}

/** The store's currencies: USD (default), EUR, GBP, CAD. */
export function genCurrencies(ctx: GenContext): CurrencyRec[] {
  const rows: Array<[string, string, string, string, string]> = [
    ["USD", "US Dollar", "US", "1.0000000000", "$"],
    ["EUR", "Euro", "EU", "0.9200000000", "€"],
    ["GBP", "British Pound", "GB", "0.7900000000", "£"],
    ["CAD", "Canadian Dollar", "CA", "1.3600000000", "$"],
  ];
  return rows.map(([code, name, countryIso2, rate, token], i) => ({
    id: i + 1, code, name, countryIso2, rate, token, isDefault: i === 0, enabled: i < 3, transactional: i < 2,
    updated: ctx.end - (40 + i * 17) * DAY,
  }));
}

/** Inventory locations. */
export function genLocations(): InventoryLocation[] {
  return [
    { id: 1, code: "BC-LOCATION-1", name: "Default location", enabled: true },
    { id: 2, code: "WAREHOUSE-EAST", name: "East Warehouse", enabled: true },
  ];
}

/** The pickup location used by pickup consignments. */
export function genPickupLocations(): LocationRec[] {
  return [{
    id: 1, code: "BC-LOCATION-1", name: "Default location",
    address: {
      first_name: "", last_name: "", company: "Demo Store", street_1: "123 Main Street", street_2: "Suite 101",
      city: "Austin", state: "Texas", zip: "78726", country: "United States", country_iso2: "US",
      phone: "+1 111-111-1111", email: "pickup@example.com",
    },
  }];
}

const PAGE_NAMES: Array<[string, PageRec["type"]]> = [
  ["Home", "page"], ["About Us", "page"], ["Contact Us", "contact_form"], ["Shipping & Returns", "page"],
  ["Blog", "blog"], ["FAQ", "raw"], ["Careers", "link"], ["In-store Pickup", "page"], ["Privacy Policy", "page"],
  ["Terms of Service", "page"], ["Wholesale", "page"], ["Size Guide", "page"],
];

/** Content pages: most on the storefront channel, some on the POS channel. */
export function genPages(ctx: GenContext, count: number): PageRec[] {
  const rng = ctx.rng("pages");
  const out: PageRec[] = [];
  for (let i = 0; i < count; i++) {
    const [base, type] = PAGE_NAMES[i % PAGE_NAMES.length]!;
    const name = i < PAGE_NAMES.length ? base : `${base} ${Math.floor(i / PAGE_NAMES.length) + 1}`;
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/-$/, "");
    out.push({
      id: i + 1, channelId: i % 5 === 4 ? 2 : 1, name, type, isVisible: rng.chance(0.85),
      parentId: 0, sortOrder: i, url: type === "link" ? `https://careers.example.com/${slug}` : `/${slug}/`,
      body: `<p>${name}.</p>`, isHomepage: i === 0,
    });
  }
  return out;
}

const COUPON_TYPES: Array<readonly [CouponRec["type"], number]> = [
  ["per_total_discount", 4], ["percentage_discount", 4], ["per_item_discount", 2], ["free_shipping", 1], ["shipping_discount", 1],
];

/** Legacy coupons. */
export function genCoupons(ctx: GenContext, count: number): CouponRec[] {
  const rng = ctx.rng("coupons");
  const out: CouponRec[] = [];
  for (let i = 0; i < count; i++) {
    const type = rng.weighted(COUPON_TYPES);
    const amount = type === "percentage_discount" ? rng.pick([5, 10, 15, 20]) : type === "free_shipping" ? 0 : rng.pick([2, 5, 10, 15]);
    const created = spread(rng, i, count, ctx.start - 20 * DAY, ctx.end - 30 * DAY);
    out.push({
      id: i + 1,
      name: type === "percentage_discount" ? `${amount}% off` : type === "free_shipping" ? "Free shipping" : `$${amount} off`,
      type, amount, minPurchaseCents: rng.chance(0.3) ? rng.pick([2500, 5000]) : 0,
      expires: rng.chance(0.2) ? created + rng.int(60, 400) * DAY : 0,
      enabled: rng.chance(0.85), code: rng.chars(9), numUses: 0, maxUses: rng.chance(0.3) ? rng.pick([25, 100]) : 0,
      maxUsesPerCustomer: rng.chance(0.2) ? 1 : 0, countries: rng.chance(0.1) ? "AU" : "", created,
    });
  }
  return out;
}

/** Promotions (automatic and coupon-based). */
export function genPromotions(ctx: GenContext, count: number): PromotionRec[] {
  const rng = ctx.rng("promotions");
  const out: PromotionRec[] = [];
  for (let i = 0; i < count; i++) {
    const start = spread(rng, i, count, ctx.start, ctx.end - 20 * DAY);
    const percent = rng.pick([5, 10, 15, 20, 25]);
    const coupon = i % 3 === 2;
    out.push({
      id: i + 1, name: coupon ? `Coupon ${percent}% off` : `Spend and save ${percent}%`,
      redemptionType: coupon ? "COUPON" : "AUTOMATIC", channels: i % 4 === 3 ? [1, 2] : [1],
      status: rng.weighted([["ENABLED", 6], ["DISABLED", 2], ["INVALID", 1]] as const),
      start, end: rng.chance(0.6) ? start + rng.int(7, 120) * DAY : 0, currentUses: rng.int(0, 80),
      maxUses: rng.chance(0.3) ? 100 : 0, percent, minimumSpendCents: rng.pick([0, 2500, 5000, 10000]),
      code: coupon ? `PROMO${rng.chars(6)}` : "", created: start - rng.int(0, 5) * DAY,
    });
  }
  return out;
}
