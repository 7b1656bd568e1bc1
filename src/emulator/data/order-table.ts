/**
 * The store's orders, held by position (order id − first id) in typed arrays: the fields lists
 * filter and sort on (created, modified, status, channel, customer, archived) plus, per
 * generated order, the random state and id counters it was built from. A small store also
 * keeps every order object; a large one rebuilds an order from its saved state when a
 * request needs it (the same object the generator built, with later changes applied), so a
 * million orders take tens of megabytes and a page costs what it holds.
 */
import { Rng } from "../prng.ts";
import { drawAddressFormFields } from "./gen-form-fields.ts";
import { buildOrder, FIRST_ORDER_ID, isBigOrder, type OrderCounters, type OrderPools } from "./gen-orders.ts";
import type { OrderRec } from "./types.ts";

/** Stores with more orders than this rebuild orders on demand instead of keeping them. */
export const KEPT_ORDERS_LIMIT = 50_000;

const COUNTER_KEYS = ["order", "line", "shipping", "pickup", "orderCoupon", "transaction", "refund", "giftCertificate"] as const satisfies readonly (keyof OrderCounters)[];

/** How a generated order is rebuilt: the draws that made it and the pools it drew from (as they were). */
export interface OrderReplay {
  /** Latest instant orders may be modified at (end of history). */
  until: number;
  /** The pools as they were when the orders were generated (snapshots of the arrays). */
  pools: OrderPools;
}

/** Sort fields of order lists, each with its accessor by position. */
export type OrderSortField = "id" | "customer_id" | "date_created" | "date_modified" | "status_id" | "channel_id";

/** Orders by position, compact. */
export class OrderTable {
  #length = 0;
  created = new Float64Array(0);
  modified = new Float64Array(0);
  status = new Uint8Array(0);
  channel = new Int32Array(0);
  customer = new Int32Array(0);
  deleted = new Uint8Array(0);
  /** Random state before the order's draws (0 for added orders, which are kept whole). */
  #seeds = new Uint32Array(0);
  /** Random state of the checkout form fields' draws. */
  #formSeeds = new Uint32Array(0);
  #counters = new Int32Array(0);
  /** Orders kept whole: all of them in a kept store, added ones otherwise. */
  readonly #kept = new Map<number, OrderRec>();
  readonly #extra = new Map<number, Record<string, unknown>>();
  /** Bumped on every change that can reorder a list. */
  #version = 0;
  readonly #sorted = new Map<OrderSortField, { version: number; order: Int32Array }>();

  constructor(readonly keepAll: boolean, private readonly replay: OrderReplay) {}

  /** How many orders (archived included). */
  get length(): number {
    return this.#length;
  }

  /** The position of an order id, or -1. */
  position(id: number): number {
    const i = id - FIRST_ORDER_ID;
    return Number.isInteger(i) && i >= 0 && i < this.#length ? i : -1;
  }

  #grow(): void {
    if (this.#length < this.created.length) return;
    const size = Math.max(1024, this.created.length * 2);
    const grown = <A extends Float64Array | Uint8Array | Int32Array | Uint32Array>(a: A, per = 1): A => {
      const b = new (a.constructor as new (n: number) => A)(size * per);
      b.set(a);
      return b;
    };
    this.created = grown(this.created);
    this.modified = grown(this.modified);
    this.status = grown(this.status);
    this.channel = grown(this.channel);
    this.customer = grown(this.customer);
    this.deleted = grown(this.deleted);
    this.#seeds = grown(this.#seeds);
    this.#formSeeds = grown(this.#formSeeds);
    this.#counters = grown(this.#counters, COUNTER_KEYS.length);
  }

  /**
   * Records an order. `replay` (generated orders) is the random state before its draws, the id
   * counters before it and the form fields' random state; without it the order is kept whole.
   */
  add(order: OrderRec, replay?: { seed: number; counters: OrderCounters; formSeed: number }): void {
    const i = this.#length;
    if (order.id !== FIRST_ORDER_ID + i) throw new Error(`order ids must be consecutive: expected ${FIRST_ORDER_ID + i}, got ${order.id}`);
    this.#grow();
    this.#length++;
    this.created[i] = order.created;
    this.modified[i] = order.modified;
    this.status[i] = order.statusId;
    this.channel[i] = order.channelId;
    this.customer[i] = order.customerId;
    this.deleted[i] = order.deleted ? 1 : 0;
    if (replay) {
      this.#seeds[i] = replay.seed;
      this.#formSeeds[i] = replay.formSeed;
      COUNTER_KEYS.forEach((key, k) => (this.#counters[i * COUNTER_KEYS.length + k] = replay.counters[key]));
    }
    if (this.keepAll || !replay) this.#kept.set(i, order);
    this.#version++;
  }

  /** The order at a position: the kept object, or one rebuilt from its saved draws. */
  at(i: number): OrderRec {
    const kept = this.#kept.get(i);
    if (kept) return kept;
    const counters = {} as OrderCounters;
    COUNTER_KEYS.forEach((key, k) => (counters[key] = this.#counters[i * COUNTER_KEYS.length + k]!));
    const rng = Rng.at(this.#seeds[i]!);
    const big = isBigOrder(i);
    // Fresh pools for what the order would add (its refunds, gift certificates): those are already in the store.
    const pools = { ...this.replay.pools, giftCertificates: [], refunds: [], replaying: true };
    const order = buildOrder(rng, {
      created: this.created[i]!, until: this.replay.until, lineCount: big ? rng.int(51, 75) : undefined, channelId: big ? 1 : undefined,
    }, pools, counters);
    order.billingFormFields = drawAddressFormFields(Rng.at(this.#formSeeds[i]!), order.billing.country_iso2);
    order.modified = this.modified[i]!;
    order.statusId = this.status[i]!;
    order.deleted = this.deleted[i] === 1;
    const extra = this.#extra.get(i);
    if (extra) order.extra = { ...extra };
    return order;
  }

  /** Sets the modification instant (on the kept object too). */
  setModified(i: number, at: number): void {
    this.modified[i] = at;
    const kept = this.#kept.get(i);
    if (kept) kept.modified = at;
    this.#version++;
  }

  /** Sets the status (on the kept object too). */
  setStatus(i: number, statusId: number): void {
    this.status[i] = statusId;
    const kept = this.#kept.get(i);
    if (kept) kept.statusId = statusId;
    this.#version++;
  }

  /** Archives the order (on the kept object too). */
  setDeleted(i: number): void {
    this.deleted[i] = 1;
    const kept = this.#kept.get(i);
    if (kept) kept.deleted = true;
    this.#version++;
  }

  /** Merges rendered-field overrides into the order's `extra` (on the kept object too). */
  patch(i: number, fields: Record<string, unknown>): void {
    const kept = this.#kept.get(i);
    const extra = { ...(kept ? kept.extra : this.#extra.get(i)), ...fields };
    if (kept) kept.extra = extra;
    else this.#extra.set(i, extra);
  }

  /** The sort key of a position for a field (ties are broken by position, which is id order). */
  key(field: OrderSortField): (i: number) => number {
    switch (field) {
      case "id":
        return (i) => i;
      case "customer_id":
        return (i) => this.customer[i]!;
      case "date_created":
        return (i) => this.created[i]!;
      case "date_modified":
        return (i) => this.modified[i]!;
      case "status_id":
        return (i) => this.status[i]!;
      case "channel_id":
        return (i) => this.channel[i]!;
    }
  }

  /** Positions sorted ascending by (field, id); cached until the next change. */
  sorted(field: OrderSortField): Int32Array {
    const cached = this.#sorted.get(field);
    if (cached && cached.version === this.#version) return cached.order;
    const order = new Int32Array(this.#length);
    for (let i = 0; i < order.length; i++) order[i] = i;
    if (field !== "id") {
      const key = this.key(field);
      order.sort((a, b) => key(a) - key(b) || a - b);
    }
    this.#sorted.set(field, { version: this.#version, order });
    return order;
  }
}

/** Appends every order of a kept table to an array (for the store's `orders`). */
export function allOrders(table: OrderTable): OrderRec[] {
  const out: OrderRec[] = new Array(table.length);
  for (let i = 0; i < table.length; i++) out[i] = table.at(i);
  return out;
}
