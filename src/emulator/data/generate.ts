/** Generates a whole store from a seed and sizes: the same inputs always give the same data. */
import { genBrands, genCategories, genPriceLists, genProducts, genTrees, type ProductCounters } from "./gen-catalog.ts";
import { genContext, REFERENCE_DATE } from "./gen-common.ts";
import { genFormFields } from "./gen-form-fields.ts";
import { type CustomerCounters, genCustomerGroups, genCustomers, genSubscribers, type GuestOptIn } from "./gen-customers.ts";
import { genOrders, type OrderCounters, type OrderPools } from "./gen-orders.ts";
import { KEPT_ORDERS_LIMIT, OrderTable } from "./order-table.ts";
import { genChannels, genCoupons, genCurrencies, genLocations, genPages, genPickupLocations, genPromotions } from "./gen-store.ts";
import type {
  BrandRec, CategoryRec, ChannelRec, CouponRec, CurrencyRec, CustomerGroupRec, CustomerRec, GiftCertificateRec, InventoryLocation,
  LocationRec, PageRec, PriceListRec, PriceRecordRec, ProductRec, PromotionRec, RefundRec, SubscriberRec, TreeRec,
} from "./types.ts";

/** How many of each resource to generate. */
export interface StoreSizes {
  orders: number;
  customers: number;
  products: number;
  brands: number;
  categories: number;
  coupons: number;
  giftCertificates: number;
  promotions: number;
  pages: number;
  priceLists: number;
  /**
   * Orders archived (deleted in BigCommerce: `is_deleted`, left out of the orders list) at seed time, spread
   * evenly over the ids; archiving leaves their date_modified as it was. At most `orders`.
   */
  archivedOrders: number;
}

/** A realistic small store. */
export const DEFAULT_SIZES: Readonly<StoreSizes> = {
  orders: 1200, customers: 300, products: 120, brands: 12, categories: 24, coupons: 20, giftCertificates: 15,
  promotions: 8, pages: 8, priceLists: 3, archivedOrders: 0,
};

/** Every collection of the store, each sorted by id. */
export interface StoreData {
  /** Orders by position (kept whole in a small store, rebuilt on demand in a large one). */
  orderTable: OrderTable;
  refunds: RefundRec[];
  customers: CustomerRec[];
  subscribers: SubscriberRec[];
  customerGroups: CustomerGroupRec[];
  products: ProductRec[];
  brands: BrandRec[];
  trees: TreeRec[];
  categories: CategoryRec[];
  priceLists: PriceListRec[];
  priceRecords: PriceRecordRec[];
  channels: ChannelRec[];
  currencies: CurrencyRec[];
  pages: PageRec[];
  coupons: CouponRec[];
  giftCertificates: GiftCertificateRec[];
  promotions: PromotionRec[];
  locations: InventoryLocation[];
  pickupLocations: LocationRec[];
}

/** Next free ids, for records added later. */
export interface Counters {
  orders: OrderCounters;
  products: ProductCounters;
  customers: CustomerCounters;
}

/**
 * Generates the data of a store. `end` (epoch seconds) is the last instant of its history.
 * `keepOrders` keeps every order object (default: up to `KEPT_ORDERS_LIMIT` orders).
 */
export function generateStore(
  seed: string | number, sizes: StoreSizes, end = REFERENCE_DATE, keepOrders = sizes.orders <= KEPT_ORDERS_LIMIT,
): { data: StoreData; counters: Counters } {
  for (const [key, value] of Object.entries(sizes)) {
    if (!Number.isInteger(value) || value < 0) throw new Error(`size '${key}' must be a non-negative integer (got ${value})`);
  }
  const ctx = genContext(seed, end);
  const channels = genChannels(ctx);
  const currencies = genCurrencies(ctx);
  const locations = genLocations();
  const pickupLocations = genPickupLocations();
  const customerGroups = genCustomerGroups(ctx);
  const brands = genBrands(sizes.brands);
  const trees = genTrees(sizes.categories);
  const categories = genCategories(ctx, sizes.categories, trees);
  const { products, ids: productIds } = genProducts(ctx, sizes.products, brands, categories, locations.length);
  const { priceLists, priceRecords } = genPriceLists(ctx, sizes.priceLists, products);
  const { customers, ids: customerIds } = genCustomers(ctx, sizes.customers);
  const coupons = genCoupons(ctx, sizes.coupons);
  const promotions = genPromotions(ctx, sizes.promotions);
  const pages = genPages(ctx, sizes.pages);
  const giftCertificates: GiftCertificateRec[] = [];
  const refunds: RefundRec[] = [];
  const pools: OrderPools = { customers, products, coupons, pickupLocations, giftCertificates, refunds, brands };
  // Rebuilt orders draw from the pools as they are now: later changes to the store do not reach them.
  const replayPools: OrderPools = {
    customers: customers.slice(), products: products.slice(), coupons: coupons.slice(), pickupLocations: pickupLocations.slice(),
    giftCertificates: [], refunds: [], brands: brands.slice(), productIndex: new Map(products.map((p) => [p.id, p])),
    brandIndex: new Map(brands.map((b) => [b.id, b.name])),
  };
  const orderTable = new OrderTable(keepOrders, { until: ctx.end, pools: replayPools });
  const guestOptIns: GuestOptIn[] = [];
  const orderIds = genOrders(ctx, sizes.orders, sizes.giftCertificates, pools, orderTable, (o) => {
    if (o.customerId === 0 && o.emailOptIn) guestOptIns.push({ id: o.id, billing: o.billing, channelId: o.channelId, created: o.created });
  });
  archiveSpread(orderTable, Math.min(sizes.archivedOrders, sizes.orders));
  const subscribers = genSubscribers(ctx, customers, guestOptIns);
  genFormFields(ctx, customers);
  return {
    data: {
      orderTable, refunds, customers, subscribers, customerGroups, products, brands, trees, categories, priceLists, priceRecords,
      channels, currencies, pages, coupons, giftCertificates, promotions, locations, pickupLocations,
    },
    counters: { orders: orderIds, products: productIds, customers: customerIds },
  };
}

/** Archives `count` orders spread evenly over the table's positions (no random draws: the rest of the store is unchanged). */
function archiveSpread(table: OrderTable, count: number): void {
  for (let k = 0; k < count; k++) table.setDeleted(Math.floor(((k + 0.5) * table.length) / count));
}
