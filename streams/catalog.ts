/** The catalog: products (with images and custom fields inline), variants, brands, categories, price lists, inventory. */
import { defineStreams } from "../src/engine/registry.ts";
import products from "./schemas/products.ts";
import productImages from "./schemas/product_images.ts";
import productCustomFields from "./schemas/product_custom_fields.ts";
import productVariants from "./schemas/product_variants.ts";
import brands from "./schemas/brands.ts";
import categories from "./schemas/categories.ts";
import categoryTrees from "./schemas/category_trees.ts";
import priceLists from "./schemas/price_lists.ts";
import priceListRecords from "./schemas/price_list_records.ts";
import inventoryItems from "./schemas/inventory_items.ts";

const PRODUCTS_SCOPE = "store_v2_products_read_only";

export default defineStreams([
  {
    name: "products",
    description: "Products; the first run reads the whole catalog whatever start_date says.",
    api: "v3",
    path: "catalog/products",
    primaryKey: ["id"],
    cursor: {
      field: "date_modified",
      filter: "date_modified:min",
      upperFilter: "date_modified:max",
      sort: { sort: "date_modified", direction: "asc" },
      firstRunIgnoresStartDate: true,
    },
    channelFilter: "channel_id:in",
    scope: PRODUCTS_SCOPE,
    schema: products,
    exclude: ["images", "custom_fields"],
    idsOnlyParams: { include_fields: "id" },
    storeFields: [{
      // Custom fields as columns too (product_custom_fields keeps every entry, one row each).
      path: "custom_fields",
      prefix: "custom_field_",
      params: { include: "custom_fields" },
      // Names are per product: the most recently modified products (ids and custom fields only) show them.
      discover: {
        api: "v3",
        path: "catalog/products",
        pagination: "v3-offset",
        params: { include: "custom_fields", include_fields: "id", sort: "date_modified", direction: "desc" },
        maxPages: 4,
        names: "custom_fields[].name",
        scope: PRODUCTS_SCOPE,
      },
    }],
  },
  {
    name: "product_images",
    description: "Product images, read inline with the product pages (include=images).",
    primaryKey: ["id", "product_id"],
    scope: PRODUCTS_SCOPE,
    schema: productImages,
    parent: {
      stream: "products",
      keys: { product_id: "id" },
      parentParams: { include: "images" },
      source: { kind: "inline", paths: ["images[]"] },
    },
  },
  {
    name: "product_custom_fields",
    description: "Product custom fields, read inline with the product pages (include=custom_fields).",
    primaryKey: ["id", "product_id"],
    scope: PRODUCTS_SCOPE,
    schema: productCustomFields,
    parent: {
      stream: "products",
      keys: { product_id: "id" },
      parentParams: { include: "custom_fields" },
      source: { kind: "inline", paths: ["custom_fields[]"] },
    },
  },
  {
    name: "product_variants",
    description: "Every variant of every product, store-wide.",
    api: "v3",
    path: "catalog/variants",
    primaryKey: ["id"],
    scope: PRODUCTS_SCOPE,
    schema: productVariants,
  },
  {
    name: "brands",
    description: "Brands.",
    api: "v3",
    path: "catalog/brands",
    primaryKey: ["id"],
    scope: PRODUCTS_SCOPE,
    schema: brands,
    idsOnlyParams: { include_fields: "id" },
  },
  {
    name: "categories",
    description: "Categories of every category tree (the tree-aware endpoint, not the deprecated /catalog/categories).",
    api: "v3",
    path: "catalog/trees/categories",
    primaryKey: ["category_id"],
    scope: PRODUCTS_SCOPE,
    schema: categories,
  },
  {
    name: "category_trees",
    description: "Category trees and the channels they serve.",
    api: "v3",
    path: "catalog/trees",
    primaryKey: ["id"],
    channelFilter: "channel_id:in",
    scope: PRODUCTS_SCOPE,
    schema: categoryTrees,
  },
  {
    name: "price_lists",
    description: "Price lists.",
    api: "v3",
    path: "pricelists",
    primaryKey: ["id"],
    cursor: { field: "date_modified", filter: "date_modified:min", upperFilter: "date_modified:max" },
    scope: PRODUCTS_SCOPE,
    schema: priceLists,
  },
  {
    name: "price_list_records",
    description: "Price list records of every price list, read per price list with their own date_modified filter.",
    primaryKey: ["price_list_id", "variant_id", "currency"],
    cursor: { field: "date_modified", filter: "date_modified:min", upperFilter: "date_modified:max" },
    scope: PRODUCTS_SCOPE,
    schema: priceListRecords,
    parent: {
      stream: "price_lists",
      keys: { price_list_id: "id" },
      source: { kind: "subresource", api: "v3", path: "pricelists/{id}/records", pagination: "v3-offset" },
    },
  },
  {
    name: "inventory_items",
    description: "Inventory levels, one row per variant and location.",
    api: "v3",
    path: "inventory/items",
    primaryKey: ["variant_id", "location_id"],
    scope: "store_inventory_read_only",
    schema: inventoryItems,
    rowsAt: {
      path: "locations[]",
      keys: { variant_id: "identity.variant_id", product_id: "identity.product_id", sku: "identity.sku" },
    },
  },
]);
