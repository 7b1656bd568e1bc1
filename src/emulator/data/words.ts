/** Word lists the generator draws names, addresses and catalog text from. */

/** Given names. */
export const FIRST_NAMES = [
  "Jane", "John", "Maria", "David", "Aisha", "Liam", "Sofia", "Noah", "Emma", "Lucas", "Mia", "Ethan",
  "Olivia", "Mateo", "Ava", "Kenji", "Chloe", "Omar", "Grace", "Ivan", "Priya", "Leo", "Zoe", "Hugo",
  "Nora", "Felix", "Ines", "Tomas", "Hannah", "Arjun", "Elena", "Samuel", "Yara", "Oscar", "Lena", "Marcus",
];

/** Family names. */
export const LAST_NAMES = [
  "Doe", "Smith", "Garcia", "Nguyen", "Okafor", "Johnson", "Muller", "Rossi", "Kowalski", "Tanaka", "Silva",
  "Brown", "Martin", "Haddad", "Larsen", "Novak", "Fischer", "Moreau", "Patel", "Costa", "Walker", "Young",
  "Lopez", "Schmidt", "Dubois", "Jensen", "Ivanova", "Kim", "Chen", "Murphy", "O'Brien", "Andersen",
];

/** Company names (most customers have none). */
export const COMPANIES = ["Acme Pty Ltd", "Laser Ltd", "Northwind Traders", "Globex", "Initech", "Umbrella Co", "Hooli", "Vandelay Industries"];

/** US places: city, state, state code, zip prefix. */
export const US_PLACES: ReadonlyArray<readonly [string, string, string, string]> = [
  ["Austin", "Texas", "TX", "787"],
  ["San Antonio", "Texas", "TX", "782"],
  ["Seattle", "Washington", "WA", "981"],
  ["Portland", "Oregon", "OR", "972"],
  ["Denver", "Colorado", "CO", "802"],
  ["Chicago", "Illinois", "IL", "606"],
  ["Boston", "Massachusetts", "MA", "021"],
  ["Brooklyn", "New York", "NY", "112"],
  ["Miami", "Florida", "FL", "331"],
  ["Atlanta", "Georgia", "GA", "303"],
  ["Phoenix", "Arizona", "AZ", "850"],
  ["San Diego", "California", "CA", "921"],
  ["Oakland", "California", "CA", "946"],
  ["Minneapolis", "Minnesota", "MN", "554"],
];

/** Places outside the US: city, state, country, ISO2, postal code. */
export const INTL_PLACES: ReadonlyArray<readonly [string, string, string, string, string]> = [
  ["Sydney", "New South Wales", "Australia", "AU", "2000"],
  ["Toronto", "Ontario", "Canada", "CA", "M5V 2T6"],
  ["London", "England", "United Kingdom", "GB", "EC1A 1BB"],
  ["Berlin", "Berlin", "Germany", "DE", "10115"],
  ["Paris", "Ile-de-France", "France", "FR", "75001"],
  ["Dublin", "Dublin", "Ireland", "IE", "D02 X285"],
];

/** Street names. */
export const STREETS = ["Main Street", "Sussex St", "Oak Avenue", "Congress Ave", "Elm Street", "Pine Road", "Market Street", "Lake Shore Dr", "Maple Lane", "2nd Street"];

/** Adjectives for product names. */
export const PRODUCT_ADJECTIVES = ["Classic", "Organic", "Handmade", "Vintage", "Everyday", "Premium", "Linen", "Ceramic", "Recycled", "Travel", "Heritage", "Minimal"];

/** Nouns for product names, with a weight in pounds. */
export const PRODUCT_NOUNS: ReadonlyArray<readonly [string, number]> = [
  ["Towel", 1], ["Mug", 1], ["Tote Bag", 1], ["Candle", 1], ["Notebook", 0.5], ["Water Bottle", 1],
  ["Blanket", 3], ["Planter", 4], ["Coffee Grinder", 3], ["Cutting Board", 2], ["Scarf", 0.5], ["Backpack", 2],
  ["Teapot", 2], ["Lamp", 5], ["Apron", 1], ["Sneakers", 2], ["Hoodie", 1.5], ["Poster", 0.5],
];

/** Brand names. */
export const BRANDS = [
  "BigCommerce", "Common Good", "Fog Linen Work", "Sagaform", "OFS", "Able Brewing", "Barebones", "Hario",
  "Kinto", "Stanley", "Yeti", "Patagonia", "Lodge", "Rifle Paper", "Muji", "Hay", "Ferm Living", "Menu",
];

/** Top-level category names. */
export const CATEGORIES = ["Shop All", "Kitchen", "Bath", "Garden", "Utility", "Publications", "Apparel", "Home Decor", "Outdoor", "Gifts", "Sale", "New Arrivals"];

/** Sub-category names. */
export const SUBCATEGORIES = ["Mugs", "Linens", "Tools", "Planters", "Lighting", "Bags", "Candles", "Stationery", "Cookware", "Textiles", "Footwear", "Prints"];

/** Variant option values: option name → values. */
export const OPTIONS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ["Size", ["S", "M", "L", "XL"]],
  ["Color", ["Orange", "Blue", "Grey", "Green", "Black"]],
  ["Material", ["Cotton", "Linen", "Wool"]],
];

/** Shipping methods. */
export const SHIPPING_METHODS = ["Free Shipping", "Flat Rate", "UPS Ground", "USPS Priority", "FedEx 2Day"];
