/**
 * The emulator's internal records: compact, API-neutral (cents, epoch seconds), rendered into
 * BigCommerce's v2/v3 shapes on every request by `../render/`. Fields the API computes
 * (totals, counts) are not stored.
 */

/** Fields every record may carry: `extra` is merged into the rendered object last (patches, new fields). */
export interface Extensible {
  extra?: Record<string, unknown>;
}

/** A postal address, in v2 field names (v3 renders its own names from it). */
export interface Address {
  first_name: string;
  last_name: string;
  company: string;
  street_1: string;
  street_2: string;
  city: string;
  state: string;
  zip: string;
  country: string;
  country_iso2: string;
  phone: string;
  email: string;
}

/** A store-defined form field (account signup or address form), as the store's settings declare it. */
export interface FormFieldDef {
  name: string;
  /** The `field_type` of the form-field-values filter. */
  type: "checkboxes" | "date" | "multiline" | "numbers" | "password" | "radiobuttons" | "text" | "picklist";
}

/** A value of a store-defined form field: text, a number, or the ticked boxes. */
export interface FormFieldValue {
  name: string;
  value: string | number | string[];
}

/** A chosen option value on an order line. */
export interface LineOption {
  id: number;
  optionId: number;
  productOptionId: number;
  valueId: number;
  name: string;
  value: string;
}

/** One order line item (orderProducts). */
export interface OrderLine {
  id: number;
  productId: number;
  variantId: number;
  name: string;
  sku: string;
  brand: string;
  type: "physical" | "digital" | "giftcertificate";
  quantity: number;
  /** Unit price before tax. */
  priceCents: number;
  costCents: number;
  weight: number;
  /** Shipping address id; 0 for lines not shipped (digital, gift certificates, pickup). */
  addressId: number;
  /** Pickup consignment id; 0 unless picked up. */
  pickupId: number;
  options: LineOption[];
  giftCertificateId: number | null;
  recipientEmail: string;
  quantityShipped: number;
  quantityRefunded: number;
  /** This line's share of the order's coupon discount. */
  discountCents: number;
}

/** An order's shipping address (and its shipping consignment). */
export interface ShippingRec {
  id: number;
  address: Address;
  method: string;
  costCents: number;
  zoneId: number;
  zoneName: string;
}

/** A pickup location (shared by pickup consignments). */
export interface LocationRec {
  id: number;
  code: string;
  name: string;
  address: Address;
}

/** An order's pickup consignment. */
export interface PickupRec {
  id: number;
  methodId: number;
  location: LocationRec;
}

/** A coupon applied to an order. */
export interface OrderCouponRec {
  id: number;
  couponId: number;
  code: string;
  /** 0 per item, 1 percentage, 2 per total, 3 shipping, 4 free shipping, 5 promotion. */
  type: number;
  /** The coupon's face value: dollars or percent. */
  amount: number;
  discountCents: number;
}

/** A payment transaction (v3 transactions). */
export interface TransactionRec {
  id: number;
  event: "purchase" | "authorization" | "capture" | "refund" | "void" | "pending" | "settled";
  /** `credit_card`, `electronic_wallet`, `offline`, … */
  method: string;
  amountCents: number;
  gateway: string;
  gatewayTransactionId: string;
  created: number;
  status: "ok" | "error";
  fraudReview: boolean;
  referenceId: number | null;
  card: { type: string; iin: string; last4: string; month: number; year: number } | null;
}

/** An order. */
export interface OrderRec extends Extensible {
  id: number;
  /** 0 for guests. */
  customerId: number;
  channelId: number;
  created: number;
  modified: number;
  /** 0 when not shipped. */
  shipped: number;
  statusId: number;
  source: string;
  externalSource: string | null;
  paymentMethod: string;
  paymentStatus: string;
  paymentProviderId: string;
  billing: Address;
  /** Values of the store's address form fields entered with the billing address at checkout. */
  billingFormFields: FormFieldValue[];
  shipping: ShippingRec[];
  pickup: PickupRec | null;
  lines: OrderLine[];
  coupons: OrderCouponRec[];
  taxRate: number;
  currencyId: number;
  currencyCode: string;
  refundedCents: number;
  ip: string;
  cartId: string;
  customerMessage: string;
  staffNotes: string;
  emailOptIn: boolean;
  deleted: boolean;
  transactions: TransactionRec[];
}

/** A refund (v3 payment_actions/refunds). */
export interface RefundRec extends Extensible {
  id: number;
  orderId: number;
  created: number;
  reason: string;
  totalCents: number;
  taxCents: number;
  items: Array<{ type: "PRODUCT" | "ORDER" | "SHIPPING"; itemId: number; quantity: number; cents: number }>;
  transactionId: string;
  providerId: string;
}

/** A customer address-book entry. */
export interface CustomerAddressRec {
  id: number;
  address: Address;
  type: "residential" | "commercial";
  /** Values of the store's address form fields. */
  formFields: FormFieldValue[];
}

/** A customer. */
export interface CustomerRec extends Extensible {
  id: number;
  first: string;
  last: string;
  email: string;
  company: string;
  phone: string;
  groupId: number;
  created: number;
  modified: number;
  notes: string;
  taxExemptCategory: string;
  ip: string;
  addresses: CustomerAddressRec[];
  channelIds: number[];
  originChannelId: number;
  acceptsEmails: boolean;
  storeCreditCents: number;
  forcePasswordReset: boolean;
  /** Values of the store's account signup form fields. */
  formFields: FormFieldValue[];
}

/** A newsletter subscriber. */
export interface SubscriberRec extends Extensible {
  id: number;
  email: string;
  first: string;
  last: string;
  source: string;
  orderId: number | null;
  channelId: number;
  consents: string[];
  created: number;
  modified: number;
}

/** A customer group. */
export interface CustomerGroupRec extends Extensible {
  id: number;
  name: string;
  isDefault: boolean;
  isGuests: boolean;
  created: number;
  modified: number;
  discountPercent: number;
}

/** A brand. */
export interface BrandRec extends Extensible {
  id: number;
  name: string;
}

/** A category tree. */
export interface TreeRec extends Extensible {
  id: number;
  name: string;
  channels: number[];
}

/** A category (in one tree). */
export interface CategoryRec extends Extensible {
  id: number;
  uuid: string;
  treeId: number;
  parentId: number;
  name: string;
  sortOrder: number;
  visible: boolean;
  views: number;
}

/** A product image. */
export interface ImageRec {
  id: number;
  productId: number;
  isThumbnail: boolean;
  sortOrder: number;
  file: string;
  modified: number;
}

/** A product option (variant option) with its values. */
export interface ProductOptionRec {
  id: number;
  optionId: number;
  name: string;
  values: Array<{ id: number; label: string }>;
}

/** A product variant; `inventory` holds the on-hand count per location (by index). */
export interface VariantRec {
  id: number;
  productId: number;
  sku: string;
  skuId: number;
  optionValues: Array<{ id: number; label: string; optionId: number; optionName: string }>;
  priceCents: number;
  upc: string;
  inventory: number[];
  warningLevel: number;
  bin: string;
}

/** A product. */
export interface ProductRec extends Extensible {
  id: number;
  name: string;
  type: "physical" | "digital";
  sku: string;
  description: string;
  brandId: number;
  categories: number[];
  priceCents: number;
  costCents: number;
  retailCents: number;
  saleCents: number;
  weight: number;
  width: number;
  height: number;
  depth: number;
  inventoryTracking: "none" | "product" | "variant";
  isVisible: boolean;
  isFeatured: boolean;
  isFreeShipping: boolean;
  condition: "New" | "Used" | "Refurbished";
  upc: string;
  mpn: string;
  gtin: string;
  totalSold: number;
  viewCount: number;
  created: number;
  modified: number;
  channels: number[];
  images: ImageRec[];
  customFields: Array<{ id: number; name: string; value: string }>;
  options: ProductOptionRec[];
  variants: VariantRec[];
}

/** A sales channel. */
export interface ChannelRec extends Extensible {
  id: number;
  name: string;
  type: "storefront" | "pos" | "marketplace" | "marketing";
  platform: string;
  status: string;
  created: number;
  modified: number;
}

/** A content page. */
export interface PageRec extends Extensible {
  id: number;
  channelId: number;
  name: string;
  type: "page" | "raw" | "contact_form" | "link" | "blog";
  isVisible: boolean;
  parentId: number;
  sortOrder: number;
  url: string;
  body: string;
  isHomepage: boolean;
}

/** A legacy (v2) coupon. */
export interface CouponRec extends Extensible {
  id: number;
  name: string;
  type: "per_item_discount" | "per_total_discount" | "shipping_discount" | "free_shipping" | "percentage_discount";
  /** Dollars or percent, as entered. */
  amount: number;
  minPurchaseCents: number;
  expires: number;
  enabled: boolean;
  code: string;
  numUses: number;
  maxUses: number;
  maxUsesPerCustomer: number;
  countries: string;
  created: number;
}

/** A gift certificate. */
export interface GiftCertificateRec extends Extensible {
  id: number;
  code: string;
  amountCents: number;
  balanceCents: number;
  status: "active" | "pending" | "disabled" | "expired";
  toName: string;
  toEmail: string;
  fromName: string;
  fromEmail: string;
  customerId: number;
  orderId: number;
  template: string;
  message: string;
  purchased: number;
  expires: number;
  currencyCode: string;
}

/** A promotion. */
export interface PromotionRec extends Extensible {
  id: number;
  name: string;
  redemptionType: "AUTOMATIC" | "COUPON";
  channels: number[];
  status: "ENABLED" | "DISABLED" | "INVALID";
  start: number;
  end: number;
  currentUses: number;
  maxUses: number;
  percent: number;
  minimumSpendCents: number;
  code: string;
  created: number;
}

/** A price list. */
export interface PriceListRec extends Extensible {
  id: number;
  name: string;
  active: boolean;
  created: number;
  modified: number;
}

/** A price list record (one variant in one currency). */
export interface PriceRecordRec extends Extensible {
  priceListId: number;
  variantId: number;
  productId: number;
  sku: string;
  currency: string;
  priceCents: number;
  saleCents: number;
  retailCents: number;
  mapCents: number;
  created: number;
  modified: number;
}

/** A store currency. */
export interface CurrencyRec extends Extensible {
  id: number;
  code: string;
  name: string;
  countryIso2: string;
  rate: string;
  token: string;
  isDefault: boolean;
  enabled: boolean;
  transactional: boolean;
  updated: number;
}

/** An inventory location. */
export interface InventoryLocation {
  id: number;
  code: string;
  name: string;
  enabled: boolean;
}
