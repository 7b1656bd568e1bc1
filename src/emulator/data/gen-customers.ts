/** Generates customer groups, customers with address books, and newsletter subscribers. */
import type { Rng } from "../prng.ts";
import { bulkTouch, DAY, daysAfter, drawAddress, drawIp, drawName, drawPhone, emailFor, type GenContext, spread } from "./gen-common.ts";
import type { CustomerAddressRec, CustomerGroupRec, CustomerRec, OrderRec, SubscriberRec } from "./types.ts";
import { COMPANIES } from "./words.ts";

/** Four customer groups; the last is the guests' group. */
export function genCustomerGroups(ctx: GenContext): CustomerGroupRec[] {
  const rng = ctx.rng("customer-groups");
  const rows: Array<[string, number, boolean]> = [["Retail", 0, false], ["Wholesale", 10, false], ["VIP", 5, false], ["Guests", 0, true]];
  return rows.map(([name, discountPercent, isGuests], i) => {
    const created = ctx.start - 60 * DAY + i * 7 * DAY + rng.int(0, DAY);
    return { id: i + 1, name, isDefault: false, isGuests, created, modified: daysAfter(rng, created, 500), discountPercent };
  });
}

/** Next free ids of customers and their addresses. */
export interface CustomerCounters {
  customer: number;
  address: number;
}

/** Builds one customer with an address book. */
export function buildCustomer(rng: Rng, ids: CustomerCounters, created: number, until: number): CustomerRec {
  const id = ids.customer++;
  const { first, last } = drawName(rng);
  const email = emailFor(first, last, id);
  const addressCount = rng.weighted([[0, 10], [1, 70], [2, 15], [3, 5]] as const);
  const addresses: CustomerAddressRec[] = [];
  for (let k = 0; k < addressCount; k++) {
    const address = drawAddress(rng, first, last, email);
    addresses.push({ id: ids.address++, address, type: address.company ? "commercial" : "residential", formFields: [] });
  }
  const origin = rng.chance(0.9) ? 1 : 2;
  return {
    id, first, last, email, company: rng.chance(0.1) ? rng.pick(COMPANIES) : "", phone: rng.chance(0.7) ? drawPhone(rng) : "",
    groupId: rng.weighted([[0, 70], [1, 15], [2, 8], [3, 7]] as const), created,
    modified: rng.chance(0.5) ? created : Math.max(created, Math.min(until, created + rng.int(0, 120) * DAY + rng.int(0, DAY))),
    notes: rng.chance(0.05) ? "Prefers email contact" : "", taxExemptCategory: rng.chance(0.03) ? "E" : "",
    ip: drawIp(rng), addresses, channelIds: origin === 2 ? [1, 2] : [1], originChannelId: origin,
    acceptsEmails: rng.chance(0.4), storeCreditCents: rng.chance(0.05) ? rng.int(5, 50) * 100 : 0,
    forcePasswordReset: rng.chance(0.02), formFields: [],
  };
}

/** Customers, ids from 1, created over the whole history. Address ids are global from 1. */
export function genCustomers(ctx: GenContext, count: number): { customers: CustomerRec[]; ids: CustomerCounters } {
  const rng = ctx.rng("customers");
  const ids: CustomerCounters = { customer: 1, address: 1 };
  const customers: CustomerRec[] = [];
  for (let i = 0; i < count; i++) {
    customers.push(buildCustomer(rng, ids, spread(rng, i, count, ctx.start, ctx.end - 2 * DAY), ctx.end - DAY));
  }
  // An import job updated a batch of customers in the same second.
  bulkTouch(rng, customers, Math.min(25, Math.ceil(count / 10)), ctx.end - 5 * DAY + 3600);
  return { customers, ids };
}

/** A guest's order that opted in to emails at checkout (in order of generation). */
export type GuestOptIn = Pick<OrderRec, "id" | "billing" | "channelId" | "created">;

/** Subscribers: customers who accept emails, and guests who opted in at checkout (with their order). */
export function genSubscribers(ctx: GenContext, customers: CustomerRec[], guestOptIns: readonly GuestOptIn[]): SubscriberRec[] {
  const rng = ctx.rng("subscribers");
  const rows: SubscriberRec[] = [];
  for (const c of customers) {
    if (!c.acceptsEmails) continue;
    const created = Math.min(ctx.end - DAY, c.created + rng.int(0, 30) * DAY);
    rows.push({
      id: 0, email: c.email, first: c.first, last: c.last, source: rng.pick(["storefront", "account_creation"]),
      orderId: null, channelId: c.originChannelId, consents: ["marketing_newsletter"], created,
      modified: rng.chance(0.6) ? created : Math.min(ctx.end - DAY, created + rng.int(1, 90) * DAY),
    });
  }
  const seen = new Set(rows.map((r) => r.email));
  for (const o of guestOptIns) {
    if (seen.has(o.billing.email)) continue;
    seen.add(o.billing.email);
    rows.push({
      id: 0, email: o.billing.email, first: o.billing.first_name, last: o.billing.last_name, source: "order",
      orderId: o.id, channelId: o.channelId, consents: ["marketing_newsletter", "abandoned_cart"], created: o.created,
      modified: o.created,
    });
  }
  rows.sort((a, b) => a.created - b.created || a.email.localeCompare(b.email));
  rows.forEach((r, i) => (r.id = i + 1));
  return rows;
}
