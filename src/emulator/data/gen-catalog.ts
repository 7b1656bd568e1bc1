/** Generates the catalog: brands, category trees and categories, products with variants, price lists. */
import type { Rng } from "../prng.ts";
import { bulkTouch, DAY, daysAfter, type GenContext, spread } from "./gen-common.ts";
import type { BrandRec, CategoryRec, PriceListRec, PriceRecordRec, ProductOptionRec, ProductRec, TreeRec, VariantRec } from "./types.ts";
import { BRANDS, CATEGORIES, OPTIONS, PRODUCT_ADJECTIVES, PRODUCT_NOUNS, SUBCATEGORIES } from "./words.ts";

/** First product id (BigCommerce's sample catalog starts about here). */
export const FIRST_PRODUCT_ID = 77;

/** Brands. */
export function genBrands(count: number): BrandRec[] {
  return Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    name: i < BRANDS.length ? BRANDS[i]! : `${BRANDS[i % BRANDS.length]} ${Math.floor(i / BRANDS.length) + 1}`,
  }));
}

/** Category trees: the storefront's (channels 1 and 3) and, with enough categories, the POS's (channel 2). */
export function genTrees(categoryCount: number): TreeRec[] {
  const trees: TreeRec[] = [{ id: 1, name: "Default Tree", channels: [1, 3] }];
  if (categoryCount >= 6) trees.push({ id: 2, name: "POS Tree", channels: [2] });
  return trees;
}

/** Categories: top-level ones with children, spread over the trees (ids from 18). */
export function genCategories(ctx: GenContext, count: number, trees: TreeRec[]): CategoryRec[] {
  const rng = ctx.rng("categories");
  const out: CategoryRec[] = [];
  const topCount = Math.max(1, Math.ceil(count / 3));
  for (let i = 0; i < count; i++) {
    const id = 18 + i;
    const treeId = trees.length > 1 && i % 5 === 4 ? 2 : 1;
    const sameTreeTops = out.filter((c) => c.parentId === 0 && c.treeId === treeId);
    const isTop = i < topCount || sameTreeTops.length === 0;
    const name = isTop
      ? (i < CATEGORIES.length ? CATEGORIES[i]! : `${CATEGORIES[i % CATEGORIES.length]} ${i}`)
      : `${SUBCATEGORIES[i % SUBCATEGORIES.length]}${i >= topCount + SUBCATEGORIES.length ? ` ${i}` : ""}`;
    out.push({
      id, uuid: rng.uuid(), treeId, parentId: isTop ? 0 : rng.pick(sameTreeTops).id, name, sortOrder: i,
      visible: rng.chance(0.9), views: rng.int(0, 5000),
    });
  }
  return out;
}

/** Next free ids of the things a product owns. */
export interface ProductCounters {
  product: number;
  variant: number;
  image: number;
  customField: number;
  option: number;
  optionValue: number;
}

/** Builds one product with its options, variants, images and custom fields. */
export function buildProduct(
  rng: Rng, ids: ProductCounters, created: number, until: number, brands: BrandRec[], categories: CategoryRec[], locationCount: number,
): ProductRec {
  const id = ids.product++;
  const [noun, weight] = rng.pick(PRODUCT_NOUNS);
  const name = `${rng.pick(PRODUCT_ADJECTIVES)} ${noun} ${id}`;
  const sku = `${noun.replace(/[^A-Za-z]/g, "").slice(0, 3).toUpperCase()}-${id}`;
  const type: ProductRec["type"] = rng.chance(0.06) ? "digital" : "physical";
  const priceCents = rng.int(5, 400) * 100 + rng.pick([0, 0, 50, 95, 99]);
  const options: ProductOptionRec[] = [];
  if (type === "physical" && rng.chance(0.45)) {
    for (const [optName, values] of rng.sample(OPTIONS, rng.int(1, 2))) {
      options.push({
        id: ids.option++, optionId: 100 + OPTIONS.findIndex(([n]) => n === optName), name: optName,
        values: rng.sample(values, rng.int(2, values.length)).map((label) => ({ id: ids.optionValue++, label })),
      });
    }
  }
  const variants: VariantRec[] = cartesian(options).slice(0, 12).map((combo) => {
    const vid = ids.variant++;
    return {
      id: vid, productId: id,
      sku: combo.length ? `${sku}-${combo.map((c) => c.label.toUpperCase().slice(0, 3)).join("-")}` : sku,
      skuId: 1000 + vid,
      optionValues: combo,
      priceCents: priceCents + (combo.length && rng.chance(0.3) ? rng.pick([200, 500, 1000]) : 0),
      upc: rng.chance(0.5) ? String(rng.int(100000000, 999999999)) + String(rng.int(100, 999)) : "",
      inventory: Array.from({ length: locationCount }, (_, l) => (type === "digital" ? 0 : l === 0 ? rng.int(0, 200) : rng.chance(0.5) ? rng.int(0, 60) : 0)),
      warningLevel: rng.pick([0, 5, 10]),
      bin: rng.chance(0.3) ? `BIN-${rng.int(1, 40)}` : "",
    };
  });
  const treeCategories = categories.filter((c) => c.treeId === 1);
  return {
    id, name, type, sku, description: `<p>The ${name.toLowerCase()}, made to last.</p>`,
    brandId: brands.length && rng.chance(0.9) ? rng.pick(brands).id : 0,
    categories: treeCategories.length ? rng.sample(treeCategories, rng.int(1, 2)).map((c) => c.id).sort((a, b) => a - b) : [],
    priceCents, costCents: Math.round(priceCents * 0.45), retailCents: rng.chance(0.3) ? Math.round(priceCents * 1.2) : 0,
    saleCents: rng.chance(0.15) ? Math.round(priceCents * 0.85) : 0,
    weight: type === "digital" ? 0 : weight, width: rng.int(1, 20), height: rng.int(1, 20), depth: rng.int(1, 10),
    inventoryTracking: type === "digital" ? "none" : options.length ? "variant" : "product",
    isVisible: rng.chance(0.92), isFeatured: rng.chance(0.1), isFreeShipping: rng.chance(0.1),
    condition: rng.weighted([["New", 20], ["Used", 1], ["Refurbished", 1]] as const),
    upc: rng.chance(0.4) ? String(rng.int(100000000, 999999999)) + String(rng.int(100, 999)) : "",
    mpn: rng.chance(0.3) ? `MPN-${rng.int(1000, 9999)}` : "", gtin: "",
    totalSold: 0, viewCount: rng.int(0, 3000), created,
    modified: rng.chance(0.3) ? created : Math.max(created, Math.min(until, created + rng.int(1, 200) * DAY + rng.int(0, DAY))),
    channels: rng.chance(0.7) ? [1] : rng.chance(0.7) ? [1, 3] : [1, 2, 3],
    images: Array.from({ length: rng.weighted([[0, 2], [1, 4], [2, 3], [3, 2], [4, 1]] as const) }, (_, k) => ({
      id: ids.image++, productId: id, isThumbnail: k === 0, sortOrder: k,
      file: `p/${String(id).slice(-2)}/${sku.toLowerCase()}_${k + 1}__${rng.int(10000, 99999)}.jpg`, modified: created + k * 60,
    })),
    customFields: rng.sample(["Material", "Origin", "Care", "Warranty"], rng.weighted([[0, 4], [1, 3], [2, 2], [3, 1]] as const)).map((fname) => ({
      id: ids.customField++, name: fname,
      value: fname === "Material" ? rng.pick(["Cotton", "Linen", "Stoneware", "Oak"]) : fname === "Origin" ? rng.pick(["Portugal", "Japan", "USA"]) : fname === "Care" ? "Hand wash" : "1 year",
    })),
    options, variants,
  };
}

/** Products (ids from 77): most created while the catalog was built, the rest over the history. */
export function genProducts(
  ctx: GenContext, count: number, brands: BrandRec[], categories: CategoryRec[], locationCount: number,
): { products: ProductRec[]; ids: ProductCounters } {
  const rng = ctx.rng("products");
  const ids: ProductCounters = { product: FIRST_PRODUCT_ID, variant: 1, image: 1, customField: 1, option: 1, optionValue: 66 };
  const products: ProductRec[] = [];
  const catalogBuilt = ctx.start + 60 * DAY;
  const earlyCount = Math.ceil(count * 0.6);
  for (let i = 0; i < count; i++) {
    const created = i < earlyCount
      ? spread(rng, i, earlyCount, ctx.start, catalogBuilt)
      : spread(rng, i - earlyCount, count - earlyCount, catalogBuilt, ctx.end - 10 * DAY);
    products.push(buildProduct(rng, ids, created, ctx.end - DAY, brands, categories, locationCount));
  }
  // A price update that touched a batch of products in the same second.
  bulkTouch(rng, products, Math.min(15, Math.ceil(count / 8)), ctx.end - 4 * DAY);
  return { products, ids };
}

function cartesian(options: ProductOptionRec[]): VariantRec["optionValues"][] {
  let combos: VariantRec["optionValues"][] = [[]];
  for (const opt of options) {
    combos = combos.flatMap((combo) => opt.values.map((v) => [...combo, { id: v.id, label: v.label, optionId: opt.id, optionName: opt.name }]));
  }
  return combos;
}

const PRICE_LIST_NAMES = ["Wholesale", "VIP", "EU Prices", "Outlet", "Staff"];

/** Price lists and their records (a share of the variants each, in USD; the EU list also in EUR). */
export function genPriceLists(
  ctx: GenContext, count: number, products: ProductRec[],
): { priceLists: PriceListRec[]; priceRecords: PriceRecordRec[] } {
  const rng = ctx.rng("pricelists");
  const priceLists: PriceListRec[] = [];
  const priceRecords: PriceRecordRec[] = [];
  const variants = products.flatMap((p) => p.variants);
  for (let i = 0; i < count; i++) {
    const created = spread(rng, i, count, ctx.start + 30 * DAY, ctx.end - 60 * DAY);
    const list: PriceListRec = {
      id: i + 1, name: i < PRICE_LIST_NAMES.length ? PRICE_LIST_NAMES[i]! : `Price list ${i + 1}`,
      active: rng.chance(0.8), created, modified: daysAfter(rng, created, 50),
    };
    priceLists.push(list);
    const currencies = list.name === "EU Prices" ? ["USD", "EUR"] : ["USD"];
    const bulk = i === 0 ? ctx.end - 6 * DAY : 0;
    for (const v of rng.sample(variants, Math.ceil(variants.length * 0.5)).sort((a, b) => a.id - b.id)) {
      for (const currency of currencies) {
        const factor = currency === "EUR" ? 0.92 : 1 - rng.pick([0.1, 0.15, 0.2]);
        const recCreated = created + rng.int(0, 20) * DAY;
        const priceCents = Math.round(v.priceCents * factor);
        priceRecords.push({
          priceListId: list.id, variantId: v.id, productId: v.productId, sku: v.sku, currency, priceCents,
          saleCents: rng.chance(0.2) ? Math.round(priceCents * 0.9) : 0, retailCents: 0, mapCents: 0,
          created: recCreated,
          // The first list was re-imported in one go: all its records share a modification second.
          modified: bulk || Math.min(ctx.end - DAY, recCreated + rng.int(0, 300) * DAY),
        });
      }
    }
    list.modified = Math.max(list.modified, bulk);
  }
  return { priceLists, priceRecords };
}
