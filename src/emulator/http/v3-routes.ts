/** The v3 endpoints: customers, catalog, price lists, inventory, content, channels, promotions, transactions, refunds. */
import { ADDRESS_FORM_FIELDS, CUSTOMER_FORM_FIELDS } from "../data/gen-form-fields.ts";
import type { CustomerRec, FormFieldValue, ProductRec } from "../data/types.ts";
import {
  renderBrand, renderInventoryItem, renderPriceList, renderPriceRecord, renderProduct, renderTree, renderTreeCategory, renderVariant,
} from "../render/v3-catalog.ts";
import { renderCustomer, renderCustomerAddress, renderSubscriber } from "../render/v3-customers.ts";
import { renderChannel, renderPage, renderPromotion, renderRefund, renderTransaction } from "../render/v3-store.ts";
import { type Ctx, projectFields, type Route } from "./context.ts";
import { EXTRA_V3_ROUTES } from "./extra-routes.ts";
import { errorReply, MESSAGES, type Reply } from "./errors.ts";
import {
  anyIn, applyFilters, boolEq, dateEq, dateMax, dateMin, type FilterFactory, intEq, intGreater, intIn, intLess, intMax, intMin, intNotIn,
  type Ordering, sortRows, strEq, strIn, strLike,
} from "./filters.ts";
import { v3List } from "./paging.ts";
import { BadParam, type Query } from "./query.ts";

const CUSTOMERS = ["store_v2_customers_read_only"];
const PRODUCTS = ["store_v2_products_read_only"];
const CONTENT = ["store_v2_content_read_only"];
const CHANNELS = ["store_channel_settings_read_only"];
const MARKETING = ["store_v2_marketing_read_only"];
const INVENTORY = ["store_inventory_read_only"];
const TRANSACTIONS = ["store_v2_transactions_read_only"];

const notFound = (): Reply => errorReply("v3", 404, "The requested resource was not found.");
void MESSAGES;

/** `date_x`, `date_x:min`, `date_x:max` filters on an epoch-seconds field. */
function dateFilters<T>(name: string, get: (r: T) => number): Record<string, FilterFactory<T>> {
  return { [name]: dateEq(get), [`${name}:min`]: dateMin(get), [`${name}:max`]: dateMax(get) };
}

/** `id`, `id:in`, `id:not_in`, `id:min`, `id:max`, `id:greater`, `id:less`. */
function idFilters<T>(get: (r: T) => number, name = "id"): Record<string, FilterFactory<T>> {
  return {
    [name]: intEq(get), [`${name}:in`]: intIn(get), [`${name}:not_in`]: intNotIn(get), [`${name}:min`]: intMin(get),
    [`${name}:max`]: intMax(get), [`${name}:greater`]: intGreater(get), [`${name}:less`]: intLess(get),
  };
}

/** `sort` + `direction` (catalog style); ties broken by id. */
function sortDirection<T extends { id: number }>(q: Query, keys: Record<string, (r: T) => number | string>, fallback = "id"): Ordering<T> {
  const sort = q.get("sort") ?? fallback;
  const direction = q.get("direction") ?? "asc";
  const get = keys[sort];
  if (!get) throw new BadParam("sort", `The sort value '${sort}' is invalid.`);
  if (direction !== "asc" && direction !== "desc") throw new BadParam("direction");
  return { key: (r) => [get(r), r.id], desc: direction === "desc" };
}

/** `sort=field:asc|desc` (customers style); ties broken by id. */
function sortColon<T extends { id: number }>(q: Query, keys: Record<string, (r: T) => number | string>): Ordering<T> {
  const sort = q.get("sort");
  if (sort === undefined) return { key: (r) => [r.id], desc: false };
  const [field = "", dir = "asc"] = sort.split(":");
  const get = keys[field];
  if (!get || (dir !== "asc" && dir !== "desc")) throw new BadParam("sort", `The sort value '${sort}' is invalid.`);
  return { key: (r) => [get(r), r.id], desc: dir === "desc" };
}

/** Products per page at most when a page includes options or modifiers. */
export const OPTIONS_PAGE_LIMIT = 10;

const single = (data: unknown): Reply => ({ status: 200, body: { data, meta: {} } });

/** One stored form field value: a customer's (signup form) or one of their addresses' (address form). */
interface FormFieldValueRow {
  seq: number;
  customerId: number;
  addressId?: number;
  name: string;
  value: FormFieldValue["value"];
  type: string;
}

/** Every form field value of the store, customer by customer: their own, then their addresses'. */
function formFieldValueRows(customers: readonly CustomerRec[]): FormFieldValueRow[] {
  const types = new Map([...CUSTOMER_FORM_FIELDS, ...ADDRESS_FORM_FIELDS].map((f) => [f.name, f.type]));
  const rows: FormFieldValueRow[] = [];
  const add = (customerId: number, addressId: number | undefined, f: FormFieldValue) =>
    rows.push({ seq: rows.length + 1, customerId, addressId, name: f.name, value: f.value, type: types.get(f.name) ?? "text" });
  for (const c of customers) {
    for (const f of c.formFields) add(c.id, undefined, f);
    for (const a of c.addresses) for (const f of a.formFields) add(c.id, a.id, f);
  }
  return rows;
}

const customerRoutes: Route[] = [
  {
    pattern: "/customers", scopes: CUSTOMERS,
    handle: (ctx) => {
      const include = ctx.q.includes();
      const rows = applyFilters(ctx.store.customers, ctx.q, {
        "id:in": intIn((c) => c.id), "company:in": strIn((c) => c.company), "customer_group_id:in": intIn((c) => c.groupId),
        ...dateFilters("date_created", (c: CustomerRec) => c.created), ...dateFilters("date_modified", (c: CustomerRec) => c.modified),
        "email:in": strIn((c) => c.email), "name:in": strIn((c) => `${c.first} ${c.last}`), "name:like": strLike((c) => `${c.first} ${c.last}`),
        "phone:in": strIn((c) => c.phone), "registration_ip_address:in": strIn((c) => c.ip),
      });
      const ordering = sortColon<CustomerRec>(ctx.q, {
        date_created: (c) => c.created, date_modified: (c) => c.modified, last_name: (c) => c.last,
      });
      return v3List(ctx.q, sortRows(rows, ordering), (c) => renderCustomer(ctx.store, c, include), { ordering });
    },
  },
  {
    pattern: "/customers/addresses", scopes: CUSTOMERS,
    handle: (ctx) => {
      const include = ctx.q.includes();
      const all = ctx.store.customers.flatMap((c) => c.addresses.map((a) => ({ c, a, id: a.id })));
      const rows = applyFilters(all, ctx.q, {
        "company:in": strIn((r) => r.a.address.company), "name:in": strIn((r) => `${r.a.address.first_name} ${r.a.address.last_name}`),
        "customer_id:in": intIn((r) => r.c.id), "id:in": intIn((r) => r.id),
      });
      rows.sort((x, y) => x.id - y.id);
      return v3List(ctx.q, rows, (r) => renderCustomerAddress(ctx.store, r.c, r.a, include));
    },
  },
  {
    pattern: "/customers/form-field-values", scopes: CUSTOMERS,
    handle: (ctx) => {
      const rows = applyFilters(formFieldValueRows(ctx.store.customers), ctx.q, {
        customer_id: intEq((r) => r.customerId), address_id: intEq((r) => r.addressId ?? 0), field_name: strEq((r) => r.name),
        field_type: strEq((r) => r.type),
      });
      const ordering: Ordering<FormFieldValueRow> = { key: (r) => [r.seq], desc: false };
      return v3List(ctx.q, rows, (r) => r.addressId === undefined
        ? { name: r.name, value: r.value, customer_id: r.customerId }
        : { name: r.name, value: r.value, address_id: r.addressId }, { ordering });
    },
  },
  {
    pattern: "/customers/subscribers", scopes: CUSTOMERS,
    handle: (ctx) => {
      const rows = applyFilters(ctx.store.subscribers, ctx.q, {
        email: strEq((s) => s.email), first_name: strEq((s) => s.first), last_name: strEq((s) => s.last), source: strEq((s) => s.source),
        order_id: intEq((s) => s.orderId ?? 0), id: intEq((s) => s.id), "id:in": intIn((s) => s.id),
        ...dateFilters("date_created", (s: { created: number }) => s.created), ...dateFilters("date_modified", (s: { modified: number }) => s.modified),
      });
      return v3List(ctx.q, rows, (s) => renderSubscriber(ctx.store, s));
    },
  },
];

const PRODUCT_SORTS: Record<string, (p: ProductRec) => number | string> = {
  id: (p) => p.id, name: (p) => p.name, sku: (p) => p.sku, price: (p) => p.priceCents, date_modified: (p) => p.modified,
  date_last_imported: () => 0, inventory_level: (p) => p.variants.reduce((n, v) => n + v.inventory.reduce((a, b) => a + b, 0), 0),
  is_visible: (p) => (p.isVisible ? 1 : 0), total_sold: (p) => p.totalSold, calculated_price: (p) => p.saleCents || p.priceCents,
};

function productRows(ctx: Ctx): ProductRec[] {
  return applyFilters(ctx.store.products, ctx.q, {
    ...idFilters((p: ProductRec) => p.id), "channel_id:in": anyIn((p) => p.channels), "categories:in": anyIn((p) => p.categories),
    categories: anyIn((p) => p.categories), name: strEq((p) => p.name), sku: strEq((p) => p.sku), "sku:in": strIn((p) => p.sku),
    upc: strEq((p) => p.upc), mpn: strEq((p) => p.mpn), brand_id: intEq((p) => p.brandId), type: strEq((p) => p.type),
    condition: strEq((p) => p.condition), is_visible: boolEq((p) => p.isVisible), is_featured: boolEq((p) => p.isFeatured),
    is_free_shipping: boolEq((p) => p.isFreeShipping), price: intEq((p) => p.priceCents / 100), keyword: strLike((p) => `${p.name} ${p.sku}`),
    ...dateFilters("date_modified", (p: ProductRec) => p.modified),
  });
}

const catalogRoutes: Route[] = [
  {
    pattern: "/catalog/products", scopes: PRODUCTS,
    handle: (ctx) => {
      const include = ctx.q.includes();
      const fields = ctx.q.list("include_fields");
      const excluded = ctx.q.list("exclude_fields");
      const ordering = sortDirection(ctx.q, PRODUCT_SORTS);
      const rows = sortRows(productRows(ctx), ordering);
      // BigCommerce returns at most 10 products a page when options or modifiers are included.
      const maxLimit = include.has("options") || include.has("modifiers") ? OPTIONS_PAGE_LIMIT : undefined;
      return v3List(ctx.q, rows, (p) => projectFields(renderProduct(ctx.store, p, include), fields, excluded, ["id", ...include]), undefined, maxLimit);
    },
  },
  {
    pattern: "/catalog/products/{product_id}", scopes: PRODUCTS,
    handle: (ctx) => {
      const p = ctx.store.product(Number(ctx.params.product_id));
      if (!p) return notFound();
      const include = ctx.q.includes();
      return single(projectFields(renderProduct(ctx.store, p, include), ctx.q.list("include_fields"), ctx.q.list("exclude_fields"), ["id", ...include]));
    },
  },
  {
    pattern: "/catalog/variants", scopes: PRODUCTS,
    handle: (ctx) => {
      const fields = ctx.q.list("include_fields");
      const excluded = ctx.q.list("exclude_fields");
      const all = ctx.store.products.flatMap((p) => p.variants.map((v) => ({ p, v, id: v.id })));
      const rows = applyFilters(all, ctx.q, {
        id: intEq((r) => r.id), sku: strEq((r) => r.v.sku), upc: strEq((r) => r.v.upc), "product_id:in": intIn((r) => r.p.id),
      });
      rows.sort((x, y) => x.id - y.id);
      return v3List(ctx.q, rows, (r) => projectFields(renderVariant(ctx.store, r.p, r.v), fields, excluded, ["id"]));
    },
  },
  {
    pattern: "/catalog/brands", scopes: PRODUCTS,
    handle: (ctx) => {
      const fields = ctx.q.list("include_fields");
      const excluded = ctx.q.list("exclude_fields");
      const rows = applyFilters(ctx.store.brands, ctx.q, {
        ...idFilters((b: { id: number }) => b.id), name: strEq((b) => b.name), "name:like": strLike((b) => b.name),
        page_title: strEq(() => ""),
      });
      sortRows(rows, sortDirection(ctx.q, { id: (b) => b.id, name: (b) => b.name }));
      return v3List(ctx.q, rows, (b) => projectFields(renderBrand(ctx.store, b), fields, excluded, ["id"]));
    },
  },
  {
    pattern: "/catalog/trees/categories", scopes: PRODUCTS,
    handle: (ctx) => {
      const fields = ctx.q.list("include_fields");
      const excluded = ctx.q.list("exclude_fields");
      const rows = applyFilters(ctx.store.categories, ctx.q, {
        "category_uuid:in": strIn((c) => c.uuid), "category_uuid:not_in": (q, p) => {
          const test = strIn((c: { uuid: string }) => c.uuid)(q, p);
          return test && ((c) => !test(c));
        },
        "category_id:in": intIn((c) => c.id), "category_id:not_in": intNotIn((c) => c.id), "tree_id:in": intIn((c) => c.treeId),
        "tree_id:not_in": intNotIn((c) => c.treeId), "parent_id:in": intIn((c) => c.parentId), "parent_id:not_in": intNotIn((c) => c.parentId),
        name: strEq((c) => c.name), "name:like": strLike((c) => c.name), keyword: strLike((c) => c.name), is_visible: boolEq((c) => c.visible),
        page_title: strEq(() => ""), "page_title:like": strLike(() => ""),
      });
      return v3List(ctx.q, rows, (c) => projectFields(renderTreeCategory(ctx.store, c), fields, excluded, ["category_id"]));
    },
  },
  {
    pattern: "/catalog/trees", scopes: PRODUCTS,
    handle: (ctx) => {
      const rows = applyFilters(ctx.store.trees, ctx.q, { "id:in": intIn((t) => t.id), "channel_id:in": anyIn((t) => t.channels) });
      return v3List(ctx.q, rows, (t) => renderTree(ctx.store, t));
    },
  },
  {
    pattern: "/pricelists", scopes: PRODUCTS,
    handle: (ctx) => {
      const rows = applyFilters(ctx.store.priceLists, ctx.q, {
        name: strEq((l) => l.name), "name:like": strLike((l) => l.name), "id:in": intIn((l) => l.id),
        ...dateFilters("date_created", (l: { created: number }) => l.created), ...dateFilters("date_modified", (l: { modified: number }) => l.modified),
      });
      return v3List(ctx.q, rows, (l) => renderPriceList(ctx.store, l), { ordering: { key: (l) => [l.id], desc: false } });
    },
  },
  {
    pattern: "/pricelists/{price_list_id}/records", scopes: PRODUCTS,
    handle: (ctx) => {
      const listId = Number(ctx.params.price_list_id);
      if (!ctx.store.priceLists.some((l) => l.id === listId)) return notFound();
      const include = ctx.q.includes();
      const own = ctx.store.priceRecords.filter((r) => r.priceListId === listId);
      const rows = applyFilters(own, ctx.q, {
        "variant_id:in": intIn((r) => r.variantId), "product_id:in": intIn((r) => r.productId), currency: strEq((r) => r.currency),
        "currency:in": strIn((r) => r.currency), sku: strEq((r) => r.sku), "sku:in": strIn((r) => r.sku),
        price: intEq((r) => r.priceCents / 100), "price:min": intMin((r) => r.priceCents / 100), "price:max": intMax((r) => r.priceCents / 100),
        ...dateFilters("date_created", (r: { created: number }) => r.created), ...dateFilters("date_modified", (r: { modified: number }) => r.modified),
      });
      const ordering: Ordering<(typeof rows)[number]> = { key: (r) => [r.variantId, r.currency], desc: false };
      return v3List(ctx.q, sortRows(rows, ordering), (r) => renderPriceRecord(ctx.store, r, include), { ordering });
    },
  },
  {
    pattern: "/inventory/items", scopes: INVENTORY,
    handle: (ctx) => {
      const all = ctx.store.products.flatMap((p) => p.variants.map((v) => ({ p, v, id: v.id })));
      const rows = applyFilters(all, ctx.q, {
        "sku:in": strIn((r) => r.v.sku), "variant_id:in": intIn((r) => r.v.id), "product_id:in": intIn((r) => r.p.id),
      });
      rows.sort((x, y) => x.id - y.id);
      const locationIds = ctx.q.intList("location_id:in");
      const locationCodes = ctx.q.list("location_code:in");
      const locations = ctx.store.locations.filter((l) =>
        (!locationIds || locationIds.includes(l.id)) && (!locationCodes || locationCodes.includes(l.code))
      );
      return v3List(ctx.q, rows, (r) => {
        const item = renderInventoryItem(ctx.store, r.p, r.v, ctx.store.locations);
        const kept = (item.locations as Array<{ location_id: number }>).filter((l) => locations.some((x) => x.id === l.location_id));
        return { ...item, locations: kept };
      });
    },
  },
];

const storeRoutes: Route[] = [
  {
    pattern: "/content/pages", scopes: CONTENT,
    handle: (ctx) => {
      const withBody = ctx.q.includes().has("body");
      const rows = applyFilters(ctx.store.pages, ctx.q, {
        channel_id: intEq((p) => p.channelId), "id:in": intIn((p) => p.id), name: strEq((p) => p.name), "name:like": strLike((p) => p.name),
      });
      return v3List(ctx.q, rows, (p) => renderPage(ctx.store, p, withBody));
    },
  },
  {
    pattern: "/channels", scopes: CHANNELS,
    handle: (ctx) => {
      ctx.q.includes();
      const rows = applyFilters(ctx.store.channels, ctx.q, {
        available: boolEq((c) => c.status === "active" || c.status === "connected"), "status:in": strIn((c) => c.status),
        "type:in": strIn((c) => c.type), "platform:in": strIn((c) => c.platform),
        ...dateFilters("date_created", (c: { created: number }) => c.created), ...dateFilters("date_modified", (c: { modified: number }) => c.modified),
      });
      return v3List(ctx.q, rows, (c) => renderChannel(ctx.store, c));
    },
  },
  {
    pattern: "/promotions", scopes: MARKETING,
    handle: (ctx) => {
      const rows = applyFilters(ctx.store.promotions, ctx.q, {
        id: intEq((p) => p.id), name: strEq((p) => p.name), code: strEq((p) => p.code), currency_code: strEq(() => "USD"),
        redemption_type: strEq((p) => p.redemptionType), status: strEq((p) => p.status), channels: anyIn((p) => p.channels),
        query: strLike((p) => `${p.name} ${p.code}`),
      });
      sortRows(rows, sortDirection(ctx.q, { id: (p) => p.id, name: (p) => p.name, priority: (p) => p.id, start_date: (p) => p.start }));
      return v3List(ctx.q, rows, (p) => renderPromotion(ctx.store, p));
    },
  },
  {
    pattern: "/orders/{order_id}/transactions", scopes: TRANSACTIONS,
    handle: (ctx) => {
      const o = ctx.store.order(Number(ctx.params.order_id));
      if (!o) return notFound();
      if (o.transactions.length === 0) return { status: 204 };
      return v3List(ctx.q, o.transactions, (t) => renderTransaction(ctx.store, o, t));
    },
  },
  {
    pattern: "/orders/payment_actions/refunds", scopes: [...TRANSACTIONS, "store_v2_orders_read_only"],
    handle: (ctx) => {
      const rows = applyFilters(ctx.store.refunds, ctx.q, {
        "order_id:in": intIn((r) => r.orderId), "id:in": intIn((r) => r.id), "created:min": dateMin((r) => r.created),
        "created:max": dateMax((r) => r.created), transaction_id: strEq((r) => r.transactionId),
      });
      return v3List(ctx.q, rows, (r) => renderRefund(ctx.store, r));
    },
  },
];

/** Every v3 route. */
export const V3_ROUTES: readonly Route[] = [...EXTRA_V3_ROUTES, ...customerRoutes, ...catalogRoutes, ...storeRoutes];
