/** A postal address as every v2 resource that carries one renders it (orders, shipping addresses, shipments). */
import type { Address } from "../data/types.ts";

/** The v2 address fields, in the API's order. */
export function addressFields(a: Address): Record<string, unknown> {
  return {
    first_name: a.first_name, last_name: a.last_name, company: a.company, street_1: a.street_1, street_2: a.street_2,
    city: a.city, state: a.state, zip: a.zip, country: a.country, country_iso2: a.country_iso2, phone: a.phone, email: a.email,
  };
}
