/**
 * The store's own form fields: the account signup fields customers fill in, and the address
 * fields filled in with address-book entries and at checkout (an order's billing address).
 * Drawn from their own random streams, so the rest of the generated store does not change.
 */
import type { Rng } from "../prng.ts";
import type { GenContext } from "./gen-common.ts";
import type { CustomerRec, FormFieldDef, FormFieldValue } from "./types.ts";

/** The account signup form's custom fields. */
export const CUSTOMER_FORM_FIELDS: readonly FormFieldDef[] = [
  { name: "Tax ID", type: "text" },
  { name: "How did you hear about us?", type: "picklist" },
  { name: "Interests", type: "checkboxes" },
  { name: "Employees", type: "numbers" },
];

/** The address form's custom fields (address book and checkout). */
export const ADDRESS_FORM_FIELDS: readonly FormFieldDef[] = [
  { name: "Delivery Instructions", type: "multiline" },
  { name: "VAT Number", type: "text" },
];

const SOURCES = ["Search engine", "A friend", "Social media", "Podcast"];
const INTERESTS = ["Outdoor", "Kitchen", "Tech", "Fashion", "Garden"];
const INSTRUCTIONS = ["Leave at the back door", "Ring twice", "Deliver to reception", "Call on arrival"];

/** Values of the signup form fields for one customer (each field filled in by some customers only). */
export function drawCustomerFormFields(rng: Rng, customerId: number): FormFieldValue[] {
  const out: FormFieldValue[] = [];
  if (rng.chance(0.4)) out.push({ name: "Tax ID", value: `TX-${String(customerId * 7331 % 1_000_000).padStart(6, "0")}` });
  if (rng.chance(0.7)) out.push({ name: "How did you hear about us?", value: rng.pick(SOURCES) });
  if (rng.chance(0.5)) out.push({ name: "Interests", value: rng.sample(INTERESTS, rng.int(1, 3)) });
  if (rng.chance(0.2)) out.push({ name: "Employees", value: rng.int(1, 500) });
  return out;
}

/** Values of the address form fields for one address. */
export function drawAddressFormFields(rng: Rng, country: string): FormFieldValue[] {
  const out: FormFieldValue[] = [];
  if (rng.chance(0.3)) out.push({ name: "Delivery Instructions", value: rng.pick(INSTRUCTIONS) });
  if (country !== "US" && rng.chance(0.5)) out.push({ name: "VAT Number", value: `${country}${rng.int(100_000_000, 999_999_999)}` });
  return out;
}

/** Fills in the form field values of customers and their addresses (orders' billing addresses: `genOrders`). */
export function genFormFields(ctx: GenContext, customers: CustomerRec[]): void {
  const rng = ctx.rng("form-fields");
  for (const c of customers) {
    c.formFields = drawCustomerFormFields(rng, c.id);
    for (const a of c.addresses) a.formFields = drawAddressFormFields(rng, a.address.country_iso2);
  }
}
