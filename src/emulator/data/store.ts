/**
 * The emulated store: the generated collections plus the mutation helpers tests use to move
 * data between syncs (touch, update, add, delete) and to make records grow new fields.
 */
import { Rng } from "../prng.ts";
import { toSeconds } from "../time.ts";
import { buildProduct } from "./gen-catalog.ts";
import { REFERENCE_DATE } from "./gen-common.ts";
import { genExtras, type StoreExtras } from "./gen-extras.ts";
import { buildCustomer } from "./gen-customers.ts";
import { buildOrder, FIRST_ORDER_ID } from "./gen-orders.ts";
import { type Counters, DEFAULT_SIZES, generateStore, type StoreData, type StoreSizes } from "./generate.ts";
import { allOrders } from "./order-table.ts";
import type { CustomerRec, OrderRec, ProductRec } from "./types.ts";

/** Resources whose rendered records can be given extra fields (named like the registry's streams). */
export type ResourceName =
  | "orders" | "order_products" | "order_shipping_addresses" | "order_coupons" | "transactions" | "refunds"
  | "customers" | "customer_addresses" | "customer_groups" | "subscribers"
  | "products" | "product_images" | "product_custom_fields" | "product_variants" | "brands" | "categories"
  | "category_trees" | "price_lists" | "price_list_records" | "inventory_items"
  | "store" | "channels" | "currencies" | "pages" | "coupons" | "promotions" | "gift_certificates";

/** A field value, or a function of the rendered record that computes it. */
export type FieldValue =
  | string | number | boolean | null | unknown[] | { [key: string]: unknown }
  | ((record: Record<string, unknown>) => unknown);

/** When a mutation happens: a `Date` or a date string; omitted, the store's clock ticks one second. */
export type At = Date | string;

/** Options of `createStore`. */
export interface StoreOptions {
  storeHash?: string;
  seed?: string | number;
  sizes?: Partial<StoreSizes>;
  /**
   * Keep every order object in memory (default: stores of up to `KEPT_ORDERS_LIMIT` orders).
   * Otherwise orders are rebuilt from their saved random state when asked for: the same data.
   */
  keepOrders?: boolean;
}

/**
 * The store behind the emulator. Collections are plain arrays sorted by id, except orders, which
 * live in `orderTable` (`orders` lists them all); mutate them through the helpers.
 */
export class EmulatorStore implements StoreData {
  readonly storeHash: string;
  readonly seed: string | number;
  readonly sizes: StoreSizes;
  /** End of the generated history (epoch seconds); everything generated is dated at or before it. */
  readonly referenceDate: number;
  orderTable!: StoreData["orderTable"];
  refunds!: StoreData["refunds"];
  customers!: StoreData["customers"];
  subscribers!: StoreData["subscribers"];
  customerGroups!: StoreData["customerGroups"];
  products!: StoreData["products"];
  brands!: StoreData["brands"];
  trees!: StoreData["trees"];
  categories!: StoreData["categories"];
  priceLists!: StoreData["priceLists"];
  priceRecords!: StoreData["priceRecords"];
  channels!: StoreData["channels"];
  currencies!: StoreData["currencies"];
  pages!: StoreData["pages"];
  coupons!: StoreData["coupons"];
  giftCertificates!: StoreData["giftCertificates"];
  promotions!: StoreData["promotions"];
  locations!: StoreData["locations"];
  pickupLocations!: StoreData["pickupLocations"];
  /** Store configuration, customer attributes, segments and metafields (see `gen-extras.ts`). */
  readonly extras: StoreExtras;
  private readonly counters: Counters;
  private readonly rng: Rng;
  private clock: number;
  #orders: OrderRec[] | undefined;
  private readonly fields = new Map<ResourceName, Map<string, FieldValue>>();

  constructor(options: StoreOptions = {}) {
    this.storeHash = options.storeHash ?? "s0demo";
    this.seed = options.seed ?? 1;
    this.sizes = { ...DEFAULT_SIZES, ...options.sizes };
    this.referenceDate = REFERENCE_DATE;
    const { data, counters } = generateStore(this.seed, this.sizes, this.referenceDate, options.keepOrders);
    Object.assign(this, data);
    this.counters = counters;
    this.rng = new Rng(this.seed, "mutations");
    this.clock = this.referenceDate;
    const orderIds = Array.from({ length: Math.min(400, data.orderTable.length) }, (_, i) => FIRST_ORDER_ID + i);
    this.extras = genExtras(this.seed, { ...data, orderIds, end: this.referenceDate });
  }

  /** The store's clock (epoch seconds): starts at the reference date, one second per default-timed mutation. */
  now(): number {
    return this.clock;
  }

  /** Advances the clock by `seconds` (default 1) and returns it. */
  tick(seconds = 1): number {
    this.clock += seconds;
    return this.clock;
  }

  private when(at?: At): number {
    if (at === undefined) return this.tick();
    const s = toSeconds(at);
    if (s > this.clock) this.clock = s;
    return s;
  }

  // Orders ---------------------------------------------------------------------------------------

  /**
   * Every order (archived ones too), by id. A store that does not keep its orders rebuilds all
   * of them for this: use `order(id)` and `orderTable` for large stores.
   */
  get orders(): OrderRec[] {
    if (this.#orders?.length !== this.orderTable.length) this.#orders = allOrders(this.orderTable);
    return this.#orders;
  }

  /** The order with this id (archived ones too), or undefined. */
  order(id: number): OrderRec | undefined {
    const i = this.orderTable.position(id);
    return i < 0 ? undefined : this.orderTable.at(i);
  }

  private mustOrder(id: number): number {
    const i = this.orderTable.position(id);
    if (i < 0) throw new Error(`no order ${id}`);
    return i;
  }

  /** Sets an order's date_modified (default: the next clock second). */
  touchOrder(id: number, at?: At): OrderRec {
    const i = this.mustOrder(id);
    this.orderTable.setModified(i, this.when(at));
    return this.orderTable.at(i);
  }

  /** Overrides rendered order fields (`status_id` also moves the status) and touches the order. */
  updateOrder(id: number, patch: Record<string, unknown>, at?: At): OrderRec {
    const i = this.mustOrder(id);
    const { status_id, ...rest } = patch;
    if (typeof status_id === "number") this.orderTable.setStatus(i, status_id);
    if (Object.keys(rest).length) this.orderTable.patch(i, rest);
    return this.touchOrder(id, at);
  }

  /** Adds a new order (created now, or `at`); returns it. */
  addOrder(init: { customerId?: number; lineCount?: number; channelId?: number; at?: At } = {}): OrderRec {
    const created = this.when(init.at);
    const order = buildOrder(this.rng, { created, until: created + 1, lineCount: init.lineCount, channelId: init.channelId, customerId: init.customerId }, {
      customers: this.customers, products: this.products, coupons: this.coupons, pickupLocations: this.pickupLocations,
      giftCertificates: this.giftCertificates, refunds: this.refunds, brands: this.brands,
    }, this.counters.orders);
    order.modified = created;
    this.orderTable.add(order);
    return order;
  }

  /**
   * Archives an order (`is_deleted`): it leaves the order list, as in BigCommerce. Its date_modified moves to
   * `at` (default the next clock second), or stays as it was with `at: "unchanged"` (nothing documents that
   * archiving changes it).
   */
  deleteOrder(id: number, at?: At | "unchanged"): OrderRec {
    const i = this.mustOrder(id);
    this.orderTable.setDeleted(i);
    return at === "unchanged" ? this.orderTable.at(i) : this.touchOrder(id, at);
  }

  // Customers ------------------------------------------------------------------------------------

  /** The customer with this id, or undefined. */
  customer(id: number): CustomerRec | undefined {
    return this.customers.find((c) => c.id === id);
  }

  private mustCustomer(id: number): CustomerRec {
    const c = this.customer(id);
    if (!c) throw new Error(`no customer ${id}`);
    return c;
  }

  /** Sets a customer's date_modified (default: the next clock second). */
  touchCustomer(id: number, at?: At): CustomerRec {
    const c = this.mustCustomer(id);
    c.modified = this.when(at);
    return c;
  }

  /** Overrides rendered customer fields and touches the customer. */
  updateCustomer(id: number, patch: Record<string, unknown>, at?: At): CustomerRec {
    const c = this.mustCustomer(id);
    c.extra = { ...c.extra, ...patch };
    return this.touchCustomer(id, at);
  }

  /** Adds a new customer (created now, or `at`); returns it. */
  addCustomer(init: { at?: At } = {}): CustomerRec {
    const created = this.when(init.at);
    const c = buildCustomer(this.rng, this.counters.customers, created, created);
    c.modified = created;
    this.customers.push(c);
    return c;
  }

  /** Deletes a customer; returns whether there was one. */
  deleteCustomer(id: number): boolean {
    const i = this.customers.findIndex((c) => c.id === id);
    if (i < 0) return false;
    this.customers.splice(i, 1);
    return true;
  }

  // Products -------------------------------------------------------------------------------------

  /** The product with this id, or undefined. */
  product(id: number): ProductRec | undefined {
    return this.products.find((p) => p.id === id);
  }

  private mustProduct(id: number): ProductRec {
    const p = this.product(id);
    if (!p) throw new Error(`no product ${id}`);
    return p;
  }

  /** Sets a product's date_modified (default: the next clock second). */
  touchProduct(id: number, at?: At): ProductRec {
    const p = this.mustProduct(id);
    p.modified = this.when(at);
    return p;
  }

  /** Overrides rendered product fields and touches the product. */
  updateProduct(id: number, patch: Record<string, unknown>, at?: At): ProductRec {
    const p = this.mustProduct(id);
    p.extra = { ...p.extra, ...patch };
    return this.touchProduct(id, at);
  }

  /** Adds a new product with variants (created now, or `at`); returns it. */
  addProduct(init: { at?: At } = {}): ProductRec {
    const created = this.when(init.at);
    const p = buildProduct(this.rng, this.counters.products, created, created, this.brands, this.categories, this.locations.length);
    p.modified = created;
    this.products.push(p);
    return p;
  }

  /** Deletes a product with its variants, inventory and price records; returns whether there was one. */
  deleteProduct(id: number): boolean {
    const i = this.products.findIndex((p) => p.id === id);
    if (i < 0) return false;
    this.products.splice(i, 1);
    this.priceRecords = this.priceRecords.filter((r) => r.productId !== id);
    return true;
  }

  // Fields ---------------------------------------------------------------------------------------

  /** Gives every record of a resource (also later ones) a field: a value or a function of the record. */
  addField(resource: ResourceName, name: string, value: FieldValue): void {
    let map = this.fields.get(resource);
    if (!map) this.fields.set(resource, (map = new Map()));
    map.set(name, value);
  }

  /** Removes a field added with `addField`. */
  removeField(resource: ResourceName, name: string): void {
    this.fields.get(resource)?.delete(name);
  }

  /** Applies the added fields and a record's own overrides to a rendered object (used by the renderers). */
  decorate<T extends Record<string, unknown>>(resource: ResourceName, out: T, extra?: Record<string, unknown>): T {
    const map = this.fields.get(resource);
    if (map) {
      for (const [name, value] of map) (out as Record<string, unknown>)[name] = typeof value === "function" ? value(out) : value;
    }
    if (extra) Object.assign(out, extra);
    return out;
  }
}

/** Generates a store (deterministic for a seed and sizes). */
export function createStore(options: StoreOptions = {}): EmulatorStore {
  return new EmulatorStore(options);
}

