/** docs/streams.md, generated from the registry: every stream's endpoint, key, replication, scope and request cost. */
import { registry as defaultRegistry } from "../../streams/index.ts";
import { seeksOnCursor } from "../engine/paginate.ts";
import { canCutWindows, MIN_PAGES } from "../engine/partitions.ts";
import { childrenOf, isRoot } from "../engine/registry.ts";
import { planStream, tablesOf } from "../engine/schema.ts";
import { DEFAULT_MAX_STORE_COLUMNS } from "../engine/store-fields.ts";
import type { ParentCondition, RootStream, StreamDefinition } from "../engine/types.ts";

/** A parent condition in words. */
function conditionText(when: ParentCondition): string {
  switch (when.is) {
    case "nonzero":
      return `\`${when.field}\` ≠ 0`;
    case "nonempty":
      return `a non-empty \`${when.field}\``;
  }
}

/** What reading a stream costs in API requests, in words. */
export function requestCost(stream: StreamDefinition): string {
  if (isRoot(stream)) {
    if (stream.pagination === "single") return "1 request";
    const page = `1 request per page of up to ${stream.pageSize ?? 250} records`;
    const when = stream.count?.unfiltered && stream.cursor ? "; full-table reads only: the count takes no filters" : "";
    const counted = stream.count ? `, +2 requests to ${stream.count.api} \`/${stream.count.path}\` (the count the read is checked against${when})` : "";
    const cut = canCutWindows(stream) ? `; over ${MIN_PAGES} pages, cut into cursor windows read at once (${windowCost(stream)})` : "";
    return `${page}${seeksOnCursor(stream) ? " (read by seeking on the cursor)" : ""}${cut}${counted}`;
  }
  const source = stream.parent.source;
  if (source.kind === "inline") {
    const f = source.fallback;
    const why = f && [
      f.marker ? `carry \`${f.marker}\` (cut short by the API)` : undefined,
      f.expect ? `fall short of the ${stream.parent.stream} record's \`${f.expect.count}\`${f.expect.sum ? ` (summing \`${f.expect.sum}\`)` : ""}` : undefined,
    ].filter(Boolean).join(" or ");
    const fallback = f ? `; +1 request per ${f.path} page for a ${stream.parent.stream} record whose inline rows ${why}` : "";
    return `0 extra requests: inline in the ${stream.parent.stream} pages${fallback}`;
  }
  const parent = stream.parent.stream;
  if (source.pagination === "single") return `1 request per ${parent} record`;
  const condition = source.when ? ` with ${conditionText(source.when)}` : "";
  const per10k = source.when ? `up to 10 000 requests per 10 000 ${parent} (none for those without)` : `10 000 requests per 10 000 ${parent}`;
  return `1 request per ${parent} record${condition} (per page of up to 250 rows): ${per10k}`;
}

/** What cutting a stream into cursor windows costs, in words. */
function windowCost(stream: RootStream): string {
  const total = stream.cursor?.countPath ? "the count" : "the total the first page brings (that page read again when cut)";
  const counts = stream.count ? ", and the count asked per window: one request per window plus one instead of 2" : "";
  return `${total} and one record per cut to size them, about one short page per window${counts}`;
}

function endpoint(stream: StreamDefinition): string {
  if (!stream.parent) return `${stream.api} \`/${stream.path}${query(stream.params)}\``;
  const source = stream.parent.source;
  if (source.kind === "subresource") return `${source.api} \`/${source.path.replace("{id}", `{${stream.parent.stream}.id}`)}\``;
  return `inline: ${source.paths.map((p) => `\`${p}\``).join(", ")}`;
}

function replication(stream: StreamDefinition, registry: readonly StreamDefinition[]): string {
  if (!stream.cursor && stream.parent) {
    // A child of an incremental parent follows the parent's cursor with a bookmark of its own.
    const parent = registry.find((p) => p.name === stream.parent!.stream);
    return parent?.cursor ? `with its ${parent.name}, bookmark of its own on \`${parent.cursor.field}\`` : `with its ${stream.parent.stream}`;
  }
  if (!stream.cursor) return "full table";
  const first = stream.cursor.firstRunIgnoresStartDate ? "; the first run reads everything" : "";
  const early = stream.cursor.filterMayExclude ? "; reads start 1 s before the bookmark (the filter is documented as \"after\")" : "";
  return `incremental on \`${stream.cursor.field}\` (\`${stream.cursor.filter}\`)${first}${early}`;
}

function query(params: Record<string, string> | undefined): string {
  const text = new URLSearchParams(params ?? {}).toString().replaceAll("%3A", ":").replaceAll("%2C", ",");
  return text ? `?${text}` : "";
}

/** The "Store-specific fields" section: which arrays are pivoted into columns, and where discovery reads the names. */
export function storeFieldsMarkdown(registry: readonly StreamDefinition[] = defaultRegistry): string[] {
  const lines = [
    "## Store-specific fields",
    "",
    "Form fields and custom fields are defined by each store. Their `{name, value}` arrays become columns of the",
    "stream's own table, one per name, instead of a child table:",
    "",
    "| stream | array | columns | names discovered from | pages at most | OAuth scope |",
    "| --- | --- | --- | --- | --- | --- |",
  ];
  for (const s of registry) {
    for (const rule of s.storeFields ?? []) {
      const d = rule.discover;
      const array = `\`${rule.path}\`${rule.params ? ` (\`${query(rule.params).slice(1)}\`)` : ""}`;
      const where = d.where ? `, entries with \`${d.where}\`` : "";
      lines.push(
        `| \`${s.name}\` | ${array} | \`${rule.prefix}<name>\` | ${d.api} \`/${d.path}${query(d.params)}\`${where} | ${d.maxPages ?? 1} | \`${d.scope}\` |`,
      );
    }
  }
  lines.push(
    "",
    "- A column is the prefix and the field name in snake_case (`How did you hear about us?` →",
    "  `form_field_how_did_you_hear_about_us`); two names with the same snake_case get `__2`, `__3`.",
    "- Values are text: numbers as printed, ticked checkboxes as a JSON array (`[\"Tech\",\"Garden\"]`), and a name",
    "  given twice in one record (custom fields allow it) as the JSON array of its values.",
    `- At most ${DEFAULT_MAX_STORE_COLUMNS} columns per array; entries with further names, and entries without a name,`,
    "  are kept in `_rescued` under the array's path (e.g. `billing_address_form_fields`).",
    "- `--discover` reads the names from the store (the bounded reads above) and lists them as string columns",
    "  with the field metadata `bigcommerce-store-field: {path, name}`; a sync with that catalog creates them up",
    "  front. When the token lacks the scope or the store does not answer, the stream keeps its static schema,",
    "  a warning on stderr names the stream and the scope, and discovery still succeeds.",
    "- A name discovery did not see (every name, without a discovered catalog: `load --streams`, the TypeScript API) adds its column",
    "  when a sync first meets it: a new SCHEMA message (Singer) or a new column (DuckDB) precedes those rows.",
    "- Orders: no endpoint lists the checkout's address form fields, so discovery reads the newest order page",
    "  (one request) — the form as customers fill it in now.",
    "- Products: custom field names are free text per product, not a store-wide form. `product_custom_fields`",
    "  keeps every entry as a row (`product_id`, `name`, `value`: complete, for ad-hoc names); products also",
    "  carry `custom_field_<name>` columns for the usual case of a consistent set of names (Material, Warranty…),",
    "  so they can be filtered without a join. Both come from the same product pages (`include=custom_fields`).",
    "",
  );
  return lines;
}

/** How `channel_id` applies to a stream, or undefined when it does not. */
function channelRule(stream: StreamDefinition, registry: readonly StreamDefinition[]): string | undefined {
  if (stream.channelFilter) return `the API filters the list: \`${stream.channelFilter}=<channel_id>\``;
  if (stream.channelField) {
    return `the list has no channel filter: records whose \`${stream.channelField}\` names other channels are left out (records without one serve every channel)`;
  }
  const parent = stream.parent && registry.find((s) => s.name === stream.parent!.stream);
  if (parent && channelRule(parent, registry)) return `with its ${parent.name}: only the rows of the ${parent.name} read`;
  return undefined;
}

/** The "Channel filter" section: which streams `channel_id` restricts, and how. */
function channelMarkdown(registry: readonly StreamDefinition[]): string[] {
  const lines = [
    "## Channel filter",
    "",
    "With `channel_id` set, every stream with a channel dimension is restricted to that channel, so joins do not",
    "mix channels:",
    "",
    "| stream | how |",
    "| --- | --- |",
  ];
  for (const s of registry) {
    const rule = channelRule(s, registry);
    if (rule) lines.push(`| \`${s.name}\` | ${rule} |`);
  }
  lines.push(
    "",
    "The other streams have no channel dimension (store-wide settings, metafields, customer attributes and",
    "segments, price lists, inventory) or are the channels themselves (`channels`): they are read whole.",
    "",
  );
  return lines;
}

/** The whole of docs/streams.md. */
export function streamsMarkdown(registry: readonly StreamDefinition[] = defaultRegistry, maxNestingDepth = 3): string {
  const lines = [
    "# Streams",
    "",
    "<!-- Generated from the registry in streams/ by `npm run docs`; a test fails when this file is stale. -->",
    "",
    `${registry.length} streams. Tables carry the stream's name; nested objects become columns joined by \`_\`;`,
    `arrays of objects that are not streams of their own become child tables \`{table}_{field}\` keyed by`,
    `\`_parent_<key>\` and \`_index\` (down to \`max_nesting_depth\`, ${maxNestingDepth} by default).`,
    "",
    "| stream | endpoint | primary key | replication | OAuth scope | request cost | selected by default |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const s of registry) {
    lines.push(
      `| \`${s.name}\` | ${endpoint(s)} | ${s.primaryKey.map((k) => `\`${k}\``).join(", ")} | ${replication(s, registry)} | \`${s.scope}\` | ${requestCost(s)} | ${s.selectedByDefault === false ? "no" : "yes"} |`,
    );
  }
  lines.push("", ...channelMarkdown(registry), "## Child tables split from nested arrays", "");
  for (const s of registry) {
    const split = tablesOf(planStream(s, { maxNestingDepth })).slice(1);
    if (split.length > 0) lines.push(`- \`${s.name}\`: ${split.map((t) => `\`${t.name}\``).join(", ")}`);
  }
  lines.push("", ...storeFieldsMarkdown(registry), "## Nesting", "");
  for (const s of registry.filter((x) => !x.parent)) {
    const children = childrenOf(registry, s.name);
    if (children.length > 0) lines.push(`- \`${s.name}\` → ${children.map((c) => `\`${c.name}\``).join(", ")}`);
  }
  lines.push(
    "",
    "Selecting a child stream without its parent works: the parent is read, not emitted.",
    "A child of an incremental stream keeps a bookmark of its own on its parent's cursor: selected for the first",
    "time (`product_reviews` added to a load that had products), it reads from where its parent's first run does (its parent's",
    "records before the parent's bookmark are read again for it, not emitted again), and a run without it leaves",
    "its bookmark where it was, so the next run with it asks only for what changed since.",
    "A stream is incremental where BigCommerce's spec gives its list a modified-since filter; every other list",
    "(segments, shipping zones, order statuses, brands, variants…) is read whole on every run.",
    "Streams that cost a request per order are not selected by default, and ask only for the orders that can",
    "have rows (`items_shipped` ≠ 0 for shipments, `total_tax` ≠ 0 for taxes); the run summary gives each one's",
    "requests. `payment_methods` is best effort: its v2 endpoint is deprecated and may not list every enabled",
    "provider, and a 404 there is a warning, not a failure.",
    "",
    "### Deleted orders",
    "",
    "BigCommerce archives a deleted order (`is_deleted`) and the orders list leaves archived orders out; nothing",
    "documents that archiving changes `date_modified`.",
    "",
    "- **First run**: orders archived before it are not live, so they are not loaded (no extra request).",
    "- **Each incremental run** also asks for the orders archived since the bookmark (`is_deleted=true`: used by",
    "  BigCommerce integrations but absent from the spec copy, an assumption; one request per 250 such orders) and",
    "  emits them with `is_deleted: true`. A list that rejects or ignores the parameter is a warning, not a failure.",
    "- **The id sweep** (`load` into DuckDB, which holds the rows): the live order ids held (each once, however",
    "  many versions an `orders=append` table keeps of it) are compared with",
    "  `orders/count` over their id range (since `start_date`, on the same channel; one request). When the file",
    "  holds more, the range is halved (`min_id`/`max_id`, one count request per split) down to at most a page of",
    "  orders, whose ids are then listed (one page): a held id the store no longer lists was archived. This finds",
    "  archives that left `date_modified` as it was, and those a list that rejects `is_deleted=true` hides. Cost:",
    "  one request per run when nothing was archived; k archived orders among N held cost about",
    "  k × (log2(N/250) + 1) requests (for 10 000 orders and one archive, about 8), never much more than",
    "  listing every order once (N/250 pages).",
    "- **Marking** in DuckDB: the order row gets `is_deleted = true` and `_deleted_at` (when the load learned it);",
    "  its rows in the tables below orders (`order_products`, `order_shipping_addresses`, `order_consignments`,",
    "  `order_fees`, `order_coupons`, …) get the same `_deleted_at`. An order listed again is live again",
    "  (`_deleted_at` cleared). `load --reconcile-deletes` marks the rows below a swept row the same way.",
    "- **Singer**: the archived order is a RECORD with `is_deleted: true` and `_sdc_deleted_at`, and so is each",
    "  child row that comes with it, as for any changed order (`order_products`, `order_coupons`, … every table",
    "  below orders). `_sdc_deleted_at` is the time the run read the archive (the RECORD's `time_extracted`):",
    "  BigCommerce gives no time of archiving, and `date_modified` may be an earlier change. The SCHEMA of orders",
    "  and of every table below it declares it (`{\"type\": [\"null\", \"string\"], \"format\": \"date-time\"}`);",
    "  live records leave it out, and an order listed again later comes without it (live again). Pipelinewise",
    "  targets with `hard_delete: true` delete the rows that have it; Meltano SDK targets keep it in a column with",
    "  `add_record_metadata: true` ([hosts.md](hosts.md#what-meltano-passes-and-what-the-tap-does-with-it)); where",
    "  a target keeps the order's row, it says `is_deleted`. Archives are asked for with the orders read, so they",
    "  reach Singer output only when `orders` is selected. A Singer tap holds no rows, so it cannot run the id",
    "  sweep: an archive that does not move `date_modified`, or any archive when the list rejects",
    "  `is_deleted=true`, does not reach a Singer target (until the order changes again); `load` into DuckDB",
    "  marks every archive.",
    "",
    "Order line items and shipping addresses come inline with the order pages",
    "(`include=consignments.line_items&consignment_structure=object`), so a store of N orders costs",
    "about N/250 order-page requests plus only the fallbacks, coupon and transaction requests it truly needs.",
    "",
  );
  return lines.join("\n");
}
