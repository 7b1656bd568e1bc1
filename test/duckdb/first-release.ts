/**
 * A DuckDB file as the first release (d1f183e) wrote it, generated with SQL — the fixture for
 * the in-place upgrade test. The DDL is what that release's code path created
 * (`git show d1f183e:src/destinations/duckdb/tables.ts` and `bookkeeping.ts`, run by its
 * `demo` against the emulator store): money as DOUBLE where v3 sends numbers, exchange rates
 * and Unix-second dates as VARCHAR, ids and counts as DOUBLE, id lists as JSON or DOUBLE[],
 * `_loads` without `migrations`. The rows hold values the way that release stored them, under
 * ids the emulator store does not have (900001…), so a later load leaves them to the upgrade.
 */
import { DuckDBInstance } from "@duckdb/node-api";

/** `CREATE TABLE bigcommerce.<name>(…)` column lists, as the first release created them. */
const TABLES: Record<string, string> = {
  _loads: `
    load_id VARCHAR, started_at TIMESTAMP WITH TIME ZONE, ended_at TIMESTAMP WITH TIME ZONE, status VARCHAR,
    streams JSON, "tables" JSON, "rows" BIGINT, requests BIGINT, metadata JSON, "error" VARCHAR
  `,
  _state: `
    state JSON, load_id VARCHAR, updated_at TIMESTAMP WITH TIME ZONE
  `,
  currencies: `
    id BIGINT, is_default BOOLEAN, country_iso2 VARCHAR, default_for_country_codes VARCHAR[],
    currency_code VARCHAR, currency_exchange_rate VARCHAR, auto_update BOOLEAN, token_location VARCHAR,
    token VARCHAR, decimal_token VARCHAR, thousands_token VARCHAR, decimal_places BIGINT, "name" VARCHAR,
    enabled BOOLEAN, is_transactional BOOLEAN, use_default_name BOOLEAN,
    last_updated TIMESTAMP WITH TIME ZONE, _rescued JSON, _extracted_at TIMESTAMP WITH TIME ZONE,
    _load_id VARCHAR, _deleted_at TIMESTAMP WITH TIME ZONE
  `,
  customer_groups: `
    id BIGINT, "name" VARCHAR, is_default BOOLEAN, category_access_type VARCHAR,
    category_access_categories BIGINT[], date_created VARCHAR, date_modified VARCHAR,
    is_group_for_guests BOOLEAN, _rescued JSON, _extracted_at TIMESTAMP WITH TIME ZONE, _load_id VARCHAR,
    _deleted_at TIMESTAMP WITH TIME ZONE
  `,
  customers: `
    id BIGINT, email VARCHAR, first_name VARCHAR, last_name VARCHAR, company VARCHAR, phone VARCHAR,
    registration_ip_address VARCHAR, notes VARCHAR, tax_exempt_category VARCHAR, customer_group_id BIGINT,
    date_modified TIMESTAMP WITH TIME ZONE, date_created TIMESTAMP WITH TIME ZONE, address_count BIGINT,
    attribute_count BIGINT, authentication_force_password_reset BOOLEAN,
    accepts_product_review_abandoned_cart_emails BOOLEAN, origin_channel_id BIGINT, channel_ids JSON,
    _rescued JSON, form_field_tax_id VARCHAR, form_field_interests VARCHAR,
    form_field_how_did_you_hear_about_us VARCHAR, form_field_employees VARCHAR,
    _extracted_at TIMESTAMP WITH TIME ZONE, _load_id VARCHAR, _deleted_at TIMESTAMP WITH TIME ZONE
  `,
  gift_certificates: `
    id BIGINT, to_name VARCHAR, to_email VARCHAR, from_name VARCHAR, from_email VARCHAR,
    amount DECIMAL(18,4), customer_id BIGINT, order_id BIGINT, balance DECIMAL(18,4), purchase_date VARCHAR,
    expiry_date VARCHAR, "template" VARCHAR, message VARCHAR, code VARCHAR, status VARCHAR,
    currency_code VARCHAR, _rescued JSON, _extracted_at TIMESTAMP WITH TIME ZONE, _load_id VARCHAR,
    _deleted_at TIMESTAMP WITH TIME ZONE
  `,
  order_coupons: `
    id BIGINT, order_id BIGINT, coupon_id BIGINT, code VARCHAR, amount JSON, "type" BIGINT, discount DOUBLE,
    _rescued JSON, _extracted_at TIMESTAMP WITH TIME ZONE, _load_id VARCHAR,
    _deleted_at TIMESTAMP WITH TIME ZONE
  `,
  orders: `
    id BIGINT, date_modified TIMESTAMP WITH TIME ZONE, date_shipped TIMESTAMP WITH TIME ZONE,
    cart_id VARCHAR, status VARCHAR, subtotal_tax DECIMAL(18,4), shipping_cost_tax DECIMAL(18,4),
    shipping_cost_tax_class_id BIGINT, handling_cost_tax DECIMAL(18,4), handling_cost_tax_class_id BIGINT,
    wrapping_cost_tax DECIMAL(18,4), wrapping_cost_tax_class_id BIGINT, payment_status VARCHAR,
    store_credit_amount DECIMAL(18,4), gift_certificate_amount DECIMAL(18,4), currency_id BIGINT,
    currency_code VARCHAR, currency_exchange_rate VARCHAR, default_currency_id BIGINT,
    default_currency_code VARCHAR, store_default_currency_code VARCHAR,
    store_default_to_transactional_exchange_rate VARCHAR, coupon_discount DECIMAL(18,4),
    shipping_address_count DOUBLE, is_deleted BOOLEAN, total_tax DECIMAL(18,4),
    is_tax_inclusive_pricing BOOLEAN, is_email_opt_in BOOLEAN, order_source VARCHAR, products_url VARCHAR,
    products_resource VARCHAR, shipping_addresses_url VARCHAR, shipping_addresses_resource VARCHAR,
    coupons_url VARCHAR, coupons_resource VARCHAR, status_id BIGINT, billing_address_first_name VARCHAR,
    billing_address_last_name VARCHAR, billing_address_company VARCHAR, billing_address_street_1 VARCHAR,
    billing_address_street_2 VARCHAR, billing_address_city VARCHAR, billing_address_state VARCHAR,
    billing_address_zip VARCHAR, billing_address_country VARCHAR, billing_address_country_iso2 VARCHAR,
    billing_address_phone VARCHAR, billing_address_email VARCHAR, base_handling_cost DECIMAL(18,4),
    base_shipping_cost DECIMAL(18,4), base_wrapping_cost DECIMAL(18,4), channel_id BIGINT,
    customer_id DOUBLE, customer_message VARCHAR, date_created TIMESTAMP WITH TIME ZONE,
    discount_amount DECIMAL(18,4), ebay_order_id VARCHAR, external_id VARCHAR, external_merchant_id VARCHAR,
    external_source VARCHAR, geoip_country VARCHAR, geoip_country_iso2 VARCHAR,
    handling_cost_ex_tax DECIMAL(18,4), handling_cost_inc_tax DECIMAL(18,4), ip_address VARCHAR,
    ip_address_v6 VARCHAR, items_shipped DOUBLE, items_total DOUBLE, order_is_digital BOOLEAN,
    payment_method VARCHAR, payment_provider_id JSON, refunded_amount DECIMAL(18,4),
    shipping_cost_ex_tax DECIMAL(18,4), shipping_cost_inc_tax DECIMAL(18,4), staff_notes VARCHAR,
    subtotal_ex_tax DECIMAL(18,4), subtotal_inc_tax DECIMAL(18,4), tax_provider_id VARCHAR,
    customer_locale VARCHAR, external_order_id VARCHAR, total_ex_tax DECIMAL(18,4),
    total_inc_tax DECIMAL(18,4), wrapping_cost_ex_tax DECIMAL(18,4), wrapping_cost_inc_tax DECIMAL(18,4),
    _rescued JSON, custom_status VARCHAR, billing_address_form_field_delivery_instructions VARCHAR,
    billing_address_form_field_vat_number VARCHAR, _extracted_at TIMESTAMP WITH TIME ZONE, _load_id VARCHAR,
    _deleted_at TIMESTAMP WITH TIME ZONE
  `,
  product_variants: `
    id BIGINT, cost_price DOUBLE, price DOUBLE, sale_price DOUBLE, retail_price DOUBLE, weight DOUBLE,
    width DOUBLE, height DOUBLE, depth DOUBLE, is_free_shipping BOOLEAN, fixed_cost_shipping_price DOUBLE,
    purchasing_disabled BOOLEAN, purchasing_disabled_message VARCHAR, upc VARCHAR, inventory_level BIGINT,
    inventory_warning_level BIGINT, bin_picking_number VARCHAR, product_id BIGINT, sku VARCHAR,
    sku_id BIGINT, calculated_price DOUBLE, _rescued JSON, map_price BIGINT, calculated_weight DOUBLE,
    image_url VARCHAR, mpn VARCHAR, gtin VARCHAR, _extracted_at TIMESTAMP WITH TIME ZONE, _load_id VARCHAR,
    _deleted_at TIMESTAMP WITH TIME ZONE
  `,
  products: `
    id BIGINT, "name" VARCHAR, "type" VARCHAR, sku VARCHAR, description VARCHAR, weight DOUBLE, width DOUBLE,
    depth DOUBLE, height DOUBLE, price DOUBLE, cost_price DOUBLE, retail_price DOUBLE, sale_price DOUBLE,
    map_price DOUBLE, tax_class_id DOUBLE, product_tax_code VARCHAR, categories DOUBLE[], brand_id BIGINT,
    inventory_level BIGINT, inventory_warning_level BIGINT, inventory_tracking VARCHAR,
    fixed_cost_shipping_price DOUBLE, is_free_shipping BOOLEAN, is_visible BOOLEAN, is_featured BOOLEAN,
    related_products BIGINT[], warranty VARCHAR, bin_picking_number VARCHAR, layout_file VARCHAR,
    upc VARCHAR, search_keywords VARCHAR, availability_description VARCHAR, availability VARCHAR,
    gift_wrapping_options_type VARCHAR, gift_wrapping_options_list BIGINT[], sort_order BIGINT,
    condition VARCHAR, is_condition_shown BOOLEAN, order_quantity_minimum BIGINT,
    order_quantity_maximum BIGINT, page_title VARCHAR, meta_keywords VARCHAR[], meta_description VARCHAR,
    view_count BIGINT, preorder_release_date TIMESTAMP WITH TIME ZONE, preorder_message VARCHAR,
    is_preorder_only BOOLEAN, is_price_hidden BOOLEAN, price_hidden_label VARCHAR, custom_url_url VARCHAR,
    custom_url_is_customized BOOLEAN, custom_url_create_redirect BOOLEAN, open_graph_type VARCHAR,
    open_graph_title VARCHAR, open_graph_description VARCHAR, open_graph_use_meta_description BOOLEAN,
    open_graph_use_product_name BOOLEAN, open_graph_use_image BOOLEAN, gtin VARCHAR, mpn VARCHAR,
    date_last_imported VARCHAR, reviews_rating_sum BIGINT, reviews_count BIGINT, total_sold BIGINT,
    primary_image_id BIGINT, primary_image_product_id BIGINT, primary_image_is_thumbnail BOOLEAN,
    primary_image_sort_order BIGINT, primary_image_description VARCHAR, primary_image_image_file VARCHAR,
    primary_image_url_zoom VARCHAR, primary_image_url_standard VARCHAR, primary_image_url_thumbnail VARCHAR,
    primary_image_url_tiny VARCHAR, primary_image_date_modified TIMESTAMP WITH TIME ZONE,
    date_created TIMESTAMP WITH TIME ZONE, date_modified TIMESTAMP WITH TIME ZONE, base_variant_id BIGINT,
    calculated_price DOUBLE, option_set_id BIGINT, option_set_display VARCHAR, channels BIGINT[],
    _rescued JSON, custom_field_care VARCHAR, custom_field_material VARCHAR, custom_field_origin VARCHAR,
    custom_field_warranty VARCHAR, _extracted_at TIMESTAMP WITH TIME ZONE, _load_id VARCHAR,
    _deleted_at TIMESTAMP WITH TIME ZONE
  `,
};

/** Rows as the first release stored them: SQL value lists per table, columns named. */
const ROWS: Record<string, { columns: string; values: string[] }> = {
  orders: {
    columns: `id, date_modified, status, status_id, customer_id, items_total, shipping_address_count, total_inc_tax,
      currency_exchange_rate, store_default_to_transactional_exchange_rate, payment_provider_id, _rescued`,
    values: [
      `900001, '2024-01-02 03:04:05+00', 'Shipped', 2, 12.0, 3.0, 1.0, 123.4500, '1.0000000000', '0.9123456789', '"braintree"', NULL`,
      // A customer id beyond BIGINT, a fractional item count, a rate with 11 decimals: no exact place in the new types.
      `900002, '2024-01-03 00:00:00+00', 'Pending', 1, 1e20, 2.5, 1.0, 10.0000, '1.12345678901', '1', '4', '{"note":"kept"}'`,
    ],
  },
  order_coupons: {
    columns: "id, order_id, coupon_id, code, amount, type, discount",
    values: [`1, 900001, 5, 'SAVE5', '5', 1, 5.0`, `2, 900002, 6, 'TENHALF', '"10.5000"', 0, 2.123456`],
  },
  products: {
    columns: "id, name, price, cost_price, calculated_price, tax_class_id, categories, date_last_imported, date_modified",
    values: [`900001, 'Old product', 19.99, 1.23456, 17.991, 0.0, [1.0, 2.0], 'Tue, 20 Nov 2012 00:00:00 +0000', '2024-01-02 00:00:00+00'`],
  },
  product_variants: {
    columns: "id, product_id, price, map_price, calculated_weight, sku",
    values: [`900001, 900001, 19.99, 0, 1.5, 'OLD-1'`],
  },
  currencies: {
    columns: "id, currency_code, currency_exchange_rate, is_default",
    values: [`900001, 'XTS', '1.2345678901', false`],
  },
  gift_certificates: {
    columns: "id, code, amount, balance, purchase_date, expiry_date",
    values: [`900001, 'OLD-GC', 25.0000, 12.5000, '1700000000', ''`],
  },
  customer_groups: {
    columns: "id, name, date_created, date_modified",
    values: [`900001, 'Old group', '2023-07-17 06:30:41', 'not a date'`],
  },
  customers: {
    columns: "id, email, channel_ids, date_modified",
    values: [`900001, 'old@example.com', '[1,2]', '2024-01-02 00:00:00+00'`],
  },
};

/** The first release's state: Singer bookmarks with boundary keys, nothing else (no version, no store hash). */
export const FIRST_RELEASE_STATE = {
  bookmarks: {
    orders: { replication_key: "date_modified", replication_key_value: "2000-01-01T00:00:00.000Z", boundary_keys: [] },
  },
};

/** The `_load_id` of the first release's load in the fixture. */
export const FIRST_RELEASE_LOAD = "20250601T000000Z_f1r5t0";

/** Writes a DuckDB file at `path` as the first release left it: its tables, rows, `_state` and `_loads`. */
export async function writeFirstReleaseFile(path: string): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  try {
    await connection.run("SET TimeZone = 'UTC'");
    await connection.run("CREATE SCHEMA bigcommerce");
    for (const [name, columns] of Object.entries(TABLES)) await connection.run(`CREATE TABLE bigcommerce.${name}(${columns.trim()})`);
    for (const [table, { columns, values }] of Object.entries(ROWS)) {
      for (const row of values) {
        await connection.run(
          `INSERT INTO bigcommerce.${table} (${columns}, _extracted_at, _load_id) VALUES (${row}, '2025-06-01 00:00:00+00', '${FIRST_RELEASE_LOAD}')`,
        );
      }
    }
    await connection.run(`INSERT INTO bigcommerce._state VALUES ('${JSON.stringify(FIRST_RELEASE_STATE)}', '${FIRST_RELEASE_LOAD}', '2025-06-01 00:00:00+00')`);
    await connection.run(
      `INSERT INTO bigcommerce._loads VALUES ('${FIRST_RELEASE_LOAD}', '2025-06-01 00:00:00+00', '2025-06-01 00:00:05+00', 'success',
        '{}', '{}', 9, 1, '{"tap_version":"0.1.0"}', NULL)`,
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
