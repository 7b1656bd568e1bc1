/**
 * The catalog: products (with images, custom fields, bulk pricing rules and videos inline), their options,
 * modifiers and reviews, variants, brands, categories, price lists, inventory, metafields.
 */
import { defineStreams } from "../src/engine/registry.ts";
import { includedRows, metafieldsStream } from "./shapes.ts";
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
import productBulkPricingRules from "./schemas/product_bulk_pricing_rules.ts";
import productVideos from "./schemas/product_videos.ts";
import productReviews from "./schemas/product_reviews.ts";
import productOptions from "./schemas/product_options.ts";
import productModifiers from "./schemas/product_modifiers.ts";
import productMetafields from "./schemas/product_metafields.ts";
import variantMetafields from "./schemas/variant_metafields.ts";
import categoryMetafields from "./schemas/category_metafields.ts";
import brandMetafields from "./schemas/brand_metafields.ts";

const PRODUCTS_SCOPE = "store_v2_products_read_only";
/** The API returns at most 10 products a page when a page includes options or modifiers. */
const OPTIONS_PAGE_SIZE = 10;

export default defineStreams([
  {
    name: "products",
    description: "Products (with their primary image and channels); the first run reads the whole catalog whatever start_date says.",
    api: "v3",
    path: "catalog/products",
    params: { include: "primary_image,channels" },
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
    // Options and modifiers come in their own pass (product_options): including them caps pages at 10.
    exclude: ["images", "custom_fields", "bulk_pricing_rules", "videos", "options", "modifiers"],
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
  includedRows("products", "product_id", "images", {
    name: "product_images",
    description: "Product images, read inline with the product pages (include=images).",
    scope: PRODUCTS_SCOPE,
    schema: productImages,
  }),
  includedRows("products", "product_id", "custom_fields", {
    name: "product_custom_fields",
    description: "Product custom fields, read inline with the product pages (include=custom_fields).",
    scope: PRODUCTS_SCOPE,
    schema: productCustomFields,
  }),
  includedRows("products", "product_id", "bulk_pricing_rules", {
    name: "product_bulk_pricing_rules",
    description: "Product bulk pricing rules, read inline with the product pages (include=bulk_pricing_rules).",
    scope: PRODUCTS_SCOPE,
    schema: productBulkPricingRules,
  }),
  includedRows("products", "product_id", "videos", {
    name: "product_videos",
    description: "Product videos, read inline with the product pages (include=videos).",
    scope: PRODUCTS_SCOPE,
    schema: productVideos,
  }),
  {
    name: "product_reviews",
    description: "Product reviews, one request per product with reviews (reviews_count > 0) among the products read; not selected by default.",
    primaryKey: ["id", "product_id"],
    selectedByDefault: false,
    scope: PRODUCTS_SCOPE,
    schema: productReviews,
    parent: {
      stream: "products",
      keys: { product_id: "id" },
      source: {
        kind: "subresource",
        api: "v3",
        path: "catalog/products/{id}/reviews",
        pagination: "v3-offset",
        when: { field: "reviews_count", is: "nonzero" },
      },
    },
  },
  {
    name: "product_options",
    description: "Variant options of every product with their values, read in a pass of their own over the products " +
      "(include=options,modifiers, ids only; the API caps such pages at 10 products); not selected by default.",
    api: "v3",
    path: "catalog/products",
    pageSize: OPTIONS_PAGE_SIZE,
    params: { include: "options", include_fields: "id" },
    primaryKey: ["id", "product_id"],
    selectedByDefault: false,
    channelFilter: "channel_id:in",
    scope: PRODUCTS_SCOPE,
    schema: productOptions,
    rowsAt: { path: "options[]", keys: { product_id: "id" } },
  },
  {
    name: "product_modifiers",
    description: "Modifiers of every product with their values, read in the same pass as product_options; not selected by default.",
    primaryKey: ["id", "product_id"],
    selectedByDefault: false,
    scope: PRODUCTS_SCOPE,
    schema: productModifiers,
    parent: {
      stream: "product_options",
      keys: { product_id: "id" },
      tableKeys: { product_id: "product_id" },
      parentParams: { include: "modifiers" },
      source: { kind: "inline", paths: ["modifiers[]"] },
    },
  },
  metafieldsStream("product", "catalog/products/metafields", PRODUCTS_SCOPE, productMetafields),
  {
    name: "product_variants",
    description: "Every variant of every product, store-wide.",
    api: "v3",
    path: "catalog/variants",
    primaryKey: ["id"],
    scope: PRODUCTS_SCOPE,
    schema: productVariants,
  },
  metafieldsStream("variant", "catalog/variants/metafields", PRODUCTS_SCOPE, variantMetafields),
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
  metafieldsStream("brand", "catalog/brands/metafields", PRODUCTS_SCOPE, brandMetafields),
  {
    name: "categories",
    description: "Categories of every category tree (the tree-aware endpoint, not the deprecated /catalog/categories).",
    api: "v3",
    path: "catalog/trees/categories",
    primaryKey: ["category_id"],
    scope: PRODUCTS_SCOPE,
    schema: categories,
  },
  metafieldsStream("category", "catalog/categories/metafields", PRODUCTS_SCOPE, categoryMetafields),
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
