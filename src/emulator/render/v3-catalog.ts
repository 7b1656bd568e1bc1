/** Renders the v3 catalog: products (with includes), variants, brands, trees, categories, price lists, inventory. */
import { amount } from "../money.ts";
import { iso } from "../time.ts";
import type { EmulatorStore } from "../data/store.ts";
import { productDetail } from "../data/gen-extras.ts";
import { renderBulkRules, renderModifiers, renderVideos } from "./extras.ts";
import type {
  BrandRec, CategoryRec, InventoryLocation, PriceListRec, PriceRecordRec, ProductRec, TreeRec, VariantRec,
} from "../data/types.ts";

const CDN = "https://cdn11.bigcommerce.com/s-demo";

/** One variant (GET /v3/catalog/variants, and `include=variants`). */
export function renderVariant(store: EmulatorStore, p: ProductRec, v: VariantRec): Record<string, unknown> {
  const stock = v.inventory.reduce((a, b) => a + b, 0);
  return store.decorate("product_variants", {
    id: v.id, product_id: p.id, sku: v.sku, sku_id: v.skuId, price: amount(v.priceCents), calculated_price: amount(p.saleCents || v.priceCents),
    sale_price: amount(p.saleCents), retail_price: amount(p.retailCents), map_price: 0, weight: p.weight, calculated_weight: p.weight,
    width: p.width, height: p.height, depth: p.depth, is_free_shipping: p.isFreeShipping, fixed_cost_shipping_price: 0,
    purchasing_disabled: false, purchasing_disabled_message: "", image_url: "", cost_price: amount(p.costCents), upc: v.upc,
    mpn: "", gtin: "", inventory_level: stock, inventory_warning_level: v.warningLevel, bin_picking_number: v.bin,
    option_values: v.optionValues.map((o) => ({ id: o.id, label: o.label, option_id: o.optionId, option_display_name: o.optionName })),
  });
}

function renderImage(store: EmulatorStore, img: ProductRec["images"][number]): Record<string, unknown> {
  const file = img.file;
  return store.decorate("product_images", {
    id: img.id, product_id: img.productId, is_thumbnail: img.isThumbnail, sort_order: img.sortOrder, description: "",
    image_file: file, url_zoom: `${CDN}/images/stencil/1280x1280/products/${img.productId}/${img.id}/${file.split("/").pop()}`,
    url_standard: `${CDN}/images/stencil/500x659/products/${img.productId}/${img.id}/${file.split("/").pop()}`,
    url_thumbnail: `${CDN}/images/stencil/100x100/products/${img.productId}/${img.id}/${file.split("/").pop()}`,
    url_tiny: `${CDN}/images/stencil/50x50/products/${img.productId}/${img.id}/${file.split("/").pop()}`,
    date_modified: iso(img.modified),
  });
}

/** One product; `include` adds images, custom_fields, variants, options, channels… */
export function renderProduct(store: EmulatorStore, p: ProductRec, include: ReadonlySet<string>): Record<string, unknown> {
  const stock = p.variants.reduce((sum, v) => sum + v.inventory.reduce((a, b) => a + b, 0), 0);
  const slug = p.name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  const detail = productDetail(store.seed, p);
  const out: Record<string, unknown> = {
    id: p.id, name: p.name, type: p.type, sku: p.sku, description: p.description, weight: p.weight, width: p.width,
    depth: p.depth, height: p.height, price: amount(p.priceCents), cost_price: amount(p.costCents),
    retail_price: amount(p.retailCents), sale_price: amount(p.saleCents), map_price: 0, tax_class_id: 0, product_tax_code: "",
    calculated_price: amount(p.saleCents || p.priceCents), categories: p.categories, brand_id: p.brandId,
    option_set_id: p.options.length ? 10 + p.options.length : undefined, option_set_display: "right", inventory_level: stock, inventory_warning_level: 0,
    inventory_tracking: p.inventoryTracking, reviews_rating_sum: detail.reviews.reduce((n, r) => n + r.rating, 0), reviews_count: detail.reviews.length, total_sold: p.totalSold,
    fixed_cost_shipping_price: 0, is_free_shipping: p.isFreeShipping, is_visible: p.isVisible, is_featured: p.isFeatured,
    related_products: [-1], warranty: "", bin_picking_number: "", layout_file: "product.html", upc: p.upc,
    mpn: p.mpn, gtin: p.gtin, date_last_imported: "", search_keywords: "", availability: "available",
    availability_description: "", gift_wrapping_options_type: "any", gift_wrapping_options_list: [], sort_order: 0,
    condition: p.condition, is_condition_shown: false, order_quantity_minimum: 0, order_quantity_maximum: 0, page_title: "",
    meta_keywords: [], meta_description: "", date_created: iso(p.created), date_modified: iso(p.modified), view_count: p.viewCount,
    preorder_release_date: null, preorder_message: "", is_preorder_only: false, is_price_hidden: false, price_hidden_label: "",
    custom_url: { url: `/${slug}/`, is_customized: false }, base_variant_id: p.variants[0]?.id,
    open_graph_type: "product", open_graph_title: "", open_graph_description: "", open_graph_use_meta_description: true,
    open_graph_use_product_name: true, open_graph_use_image: true,
  };
  for (const key of ["option_set_id", "base_variant_id"]) if (out[key] === undefined) delete out[key];
  if (include.has("images")) out.images = p.images.map((img) => renderImage(store, img));
  if (include.has("primary_image")) {
    const first = p.images.find((img) => img.isThumbnail);
    if (first) out.primary_image = renderImage(store, first);
  }
  if (include.has("custom_fields")) {
    out.custom_fields = p.customFields.map((f) => store.decorate("product_custom_fields", { id: f.id, name: f.name, value: f.value }));
  }
  if (include.has("variants")) out.variants = p.variants.map((v) => renderVariant(store, p, v));
  if (include.has("options")) {
    out.options = p.options.map((o) => ({
      id: o.id, product_id: p.id, display_name: o.name, type: o.name === "Color" ? "swatch" : "rectangles", sort_order: 0,
      option_values: o.values.map((v, k) => ({ id: v.id, label: v.label, sort_order: k, value_data: null, is_default: false })),
    }));
  }
  if (include.has("modifiers")) out.modifiers = renderModifiers(p.id, detail);
  if (include.has("bulk_pricing_rules")) out.bulk_pricing_rules = renderBulkRules(detail);
  if (include.has("videos")) out.videos = renderVideos(p.id, detail);
  if (include.has("reviews")) out.reviews = [];
  if (include.has("parent_relations")) out.parent_relations = [];
  if (include.has("channels")) out.channels = p.channels;
  return store.decorate("products", out, p.extra);
}

/** One brand. */
export function renderBrand(store: EmulatorStore, b: BrandRec): Record<string, unknown> {
  const slug = b.name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  return store.decorate("brands", {
    id: b.id, name: b.name, meta_keywords: [], meta_description: "", image_url: "", search_keywords: "", page_title: "",
    custom_url: { url: `/brands/${slug}.html`, is_customized: false },
  }, b.extra);
}

/** One category of a tree (GET /v3/catalog/trees/categories). */
export function renderTreeCategory(store: EmulatorStore, c: CategoryRec): Record<string, unknown> {
  const slug = c.name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  return store.decorate("categories", {
    category_id: c.id, category_uuid: c.uuid, parent_id: c.parentId, tree_id: c.treeId, name: c.name,
    description: `<p>${c.name}</p>`, views: c.views, sort_order: c.sortOrder, page_title: "", search_keywords: "",
    meta_keywords: [], meta_description: "", layout_file: "category.html", is_visible: c.visible,
    default_product_sort: "use_store_settings", url: { path: `/${slug}-${c.id}/`, is_customized: false }, image_url: "",
  }, c.extra);
}

/** One category tree. */
export function renderTree(store: EmulatorStore, t: TreeRec): Record<string, unknown> {
  return store.decorate("category_trees", { id: t.id, name: t.name, channels: t.channels }, t.extra);
}

/** One price list. */
export function renderPriceList(store: EmulatorStore, l: PriceListRec): Record<string, unknown> {
  return store.decorate("price_lists", {
    id: l.id, name: l.name, date_created: iso(l.created), date_modified: iso(l.modified), active: l.active,
  }, l.extra);
}

/** One price record; `include=sku` adds the variant's SKU, `include=bulk_pricing_tiers` its tiers. */
export function renderPriceRecord(store: EmulatorStore, r: PriceRecordRec, include: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {
    price_list_id: r.priceListId, variant_id: r.variantId, product_id: r.productId, currency: r.currency.toLowerCase(),
    price: amount(r.priceCents), sale_price: amount(r.saleCents), retail_price: amount(r.retailCents), map_price: amount(r.mapCents),
    calculated_price: amount(r.saleCents || r.priceCents), date_created: iso(r.created), date_modified: iso(r.modified),
  };
  if (include.has("sku")) out.sku = r.sku;
  if (include.has("bulk_pricing_tiers")) out.bulk_pricing_tiers = [];
  return store.decorate("price_list_records", out, r.extra);
}

/** One inventory item: a variant's identity and its stock at every location. */
export function renderInventoryItem(store: EmulatorStore, p: ProductRec, v: VariantRec, locations: InventoryLocation[]): Record<string, unknown> {
  return store.decorate("inventory_items", {
    identity: { sku: v.sku, variant_id: v.id, product_id: p.id, sku_id: v.skuId },
    locations: locations.map((l, i) => {
      const onHand = v.inventory[i] ?? 0;
      const safety = i === 0 ? Math.min(2, onHand) : 0;
      return {
        location_id: l.id, location_code: l.code, location_name: l.name, available_to_sell: onHand - safety,
        total_inventory_onhand: onHand, location_enabled: l.enabled,
        settings: { safety_stock: safety, is_in_stock: onHand - safety > 0, warning_level: v.warningLevel, bin_picking_number: v.bin },
      };
    }),
  });
}
