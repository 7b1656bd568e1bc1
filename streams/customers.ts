/** Customers, their addresses and groups, and newsletter subscribers. */
import { defineStreams } from "../src/engine/registry.ts";
import customers from "./schemas/customers.ts";
import customerAddresses from "./schemas/customer_addresses.ts";
import customerGroups from "./schemas/customer_groups.ts";
import subscribers from "./schemas/subscribers.ts";

const CUSTOMERS_SCOPE = "store_v2_customers_read_only";

export default defineStreams([
  {
    name: "customers",
    description: "Customer accounts (v3, cursor pagination).",
    api: "v3",
    path: "customers",
    pagination: "v3-cursor",
    primaryKey: ["id"],
    cursor: {
      field: "date_modified",
      filter: "date_modified:min",
      upperFilter: "date_modified:max",
      sort: { sort: "date_modified:asc" },
      filterMayExclude: true,
    },
    scope: CUSTOMERS_SCOPE,
    schema: customers,
    storeFields: [{
      // The store's account signup form fields, one column each (inline with include=formfields).
      path: "form_fields",
      prefix: "form_field_",
      params: { include: "formfields" },
      // Customer entries carry customer_id; address form fields (address_id) belong to addresses.
      discover: {
        api: "v3",
        path: "customers/form-field-values",
        pagination: "v3-offset",
        maxPages: 4,
        names: "name",
        where: "customer_id",
        scope: CUSTOMERS_SCOPE,
      },
    }],
  },
  {
    name: "customer_addresses",
    description: "Customer address book entries.",
    api: "v3",
    path: "customers/addresses",
    primaryKey: ["id"],
    scope: CUSTOMERS_SCOPE,
    schema: customerAddresses,
  },
  {
    name: "customer_groups",
    description: "Customer groups and their discount rules.",
    api: "v2",
    path: "customer_groups",
    primaryKey: ["id"],
    scope: CUSTOMERS_SCOPE,
    schema: customerGroups,
  },
  {
    name: "subscribers",
    description: "Newsletter subscribers.",
    api: "v3",
    path: "customers/subscribers",
    primaryKey: ["id"],
    cursor: { field: "date_modified", filter: "date_modified:min", upperFilter: "date_modified:max", filterMayExclude: true },
    scope: CUSTOMERS_SCOPE,
    schema: subscribers,
  },
]);
