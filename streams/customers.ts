/** Customers, their addresses, groups, attributes, segments and metafields, and newsletter subscribers. */
import { defineStreams } from "../src/engine/registry.ts";
import { metafieldsStream } from "./shapes.ts";
import customers from "./schemas/customers.ts";
import customerAddresses from "./schemas/customer_addresses.ts";
import customerGroups from "./schemas/customer_groups.ts";
import subscribers from "./schemas/subscribers.ts";
import customerAttributes from "./schemas/customer_attributes.ts";
import customerAttributeValues from "./schemas/customer_attribute_values.ts";
import customerMetafields from "./schemas/customer_metafields.ts";
import customerSegments from "./schemas/customer_segments.ts";

const CUSTOMERS_SCOPE = "store_v2_customers_read_only";

export default defineStreams([
  {
    name: "customers",
    description: "Customer accounts (v3, cursor pagination), with store credit and attribute values inline (include=storecredit,attributes).",
    api: "v3",
    path: "customers",
    pagination: "v3-cursor",
    params: { include: "storecredit,attributes" },
    // No channel filter on the list: a customer's channel_ids say where the account works (none: every channel).
    channelField: "channel_ids",
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
    cursor: { field: "date_modified", filter: "date_modified:min", upperFilter: "date_modified:max", filterMayExclude: true },
    // customer_groups/count takes no filters: a full-table read (replace, a full-table catalog) is checked against it.
    count: { api: "v2", path: "customer_groups/count", total: "count", unfiltered: true },
    scope: CUSTOMERS_SCOPE,
    schema: customerGroups,
  },
  {
    name: "subscribers",
    description: "Newsletter subscribers.",
    api: "v3",
    path: "customers/subscribers",
    primaryKey: ["id"],
    channelField: "channel_id",
    cursor: { field: "date_modified", filter: "date_modified:min", upperFilter: "date_modified:max", filterMayExclude: true },
    scope: CUSTOMERS_SCOPE,
    schema: subscribers,
  },
  {
    name: "customer_attributes",
    description: "Customer attribute definitions.",
    api: "v3",
    path: "customers/attributes",
    primaryKey: ["id"],
    cursor: { field: "date_modified", filter: "date_modified:min", upperFilter: "date_modified:max", filterMayExclude: true },
    scope: CUSTOMERS_SCOPE,
    schema: customerAttributes,
  },
  {
    name: "customer_attribute_values",
    description: "Customer attribute values of every customer (one store-wide list).",
    api: "v3",
    path: "customers/attribute-values",
    primaryKey: ["id"],
    cursor: { field: "date_modified", filter: "date_modified:min", upperFilter: "date_modified:max", filterMayExclude: true },
    scope: CUSTOMERS_SCOPE,
    schema: customerAttributeValues,
  },
  {
    name: "customer_segments",
    description: "Customer segments (/v3/segments; the list has no modified-since filter, so full table).",
    api: "v3",
    path: "segments",
    primaryKey: ["id"],
    scope: CUSTOMERS_SCOPE,
    schema: customerSegments,
  },
  metafieldsStream("customer", "customers/metafields", CUSTOMERS_SCOPE, customerMetafields),
]);
