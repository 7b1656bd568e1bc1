/** Renders customers, customer addresses and subscribers in the v3 shapes. */
import { amount } from "../money.ts";
import { isoZ } from "../time.ts";
import type { EmulatorStore } from "../data/store.ts";
import type { CustomerAddressRec, CustomerRec, SubscriberRec } from "../data/types.ts";
import { renderAttributeValue } from "./extras.ts";

/** One address-book entry; `include=formfields` adds its form field values. */
export function renderCustomerAddress(
  store: EmulatorStore, c: CustomerRec, a: CustomerAddressRec, include: ReadonlySet<string> = new Set(),
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: a.id, customer_id: c.id, first_name: a.address.first_name, last_name: a.address.last_name, company: a.address.company,
    address1: a.address.street_1, address2: a.address.street_2, city: a.address.city, state_or_province: a.address.state,
    postal_code: a.address.zip, country: a.address.country, country_code: a.address.country_iso2, phone: a.address.phone,
    address_type: a.type,
  };
  if (include.has("formfields")) out.form_fields = a.formFields.map((f) => ({ name: f.name, value: f.value, address_id: a.id }));
  return store.decorate("customer_addresses", out);
}

/** One customer; `include` (addresses, storecredit, attributes, formfields) adds the sub-resources. */
export function renderCustomer(store: EmulatorStore, c: CustomerRec, include: ReadonlySet<string>): Record<string, unknown> {
  const attributes = store.extras.attributeValuesOf.get(c.id) ?? [];
  const out: Record<string, unknown> = {
    id: c.id, authentication: { force_password_reset: c.forcePasswordReset }, company: c.company,
    customer_group_id: c.groupId, email: c.email, first_name: c.first, last_name: c.last, notes: c.notes, phone: c.phone,
    registration_ip_address: c.ip, tax_exempt_category: c.taxExemptCategory, date_created: isoZ(c.created),
    date_modified: isoZ(c.modified), address_count: c.addresses.length, attribute_count: attributes.length,
    accepts_product_review_abandoned_cart_emails: c.acceptsEmails, origin_channel_id: c.originChannelId, channel_ids: c.channelIds,
  };
  if (include.has("addresses")) out.addresses = c.addresses.map((a) => renderCustomerAddress(store, c, a, include));
  if (include.has("storecredit")) out.store_credit_amounts = [{ amount: amount(c.storeCreditCents) }];
  if (include.has("attributes")) out.attributes = attributes.map(renderAttributeValue);
  if (include.has("formfields")) out.form_fields = c.formFields.map((f) => ({ name: f.name, value: f.value, customer_id: c.id }));
  return store.decorate("customers", out, c.extra);
}

/** One newsletter subscriber. */
export function renderSubscriber(store: EmulatorStore, s: SubscriberRec): Record<string, unknown> {
  return store.decorate("subscribers", {
    id: s.id, email: s.email, first_name: s.first, last_name: s.last, source: s.source, order_id: s.orderId,
    channel_id: s.channelId, consents: s.consents, date_created: isoZ(s.created), date_modified: isoZ(s.modified),
  }, s.extra);
}
