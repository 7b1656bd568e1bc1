/** docs/streams.md, generated from the registry: every stream's endpoint, key, replication, scope and request cost. */
import { registry as defaultRegistry } from "../../streams/index.ts";
import { seeksOnCursor } from "../engine/paginate.ts";
import { childrenOf } from "../engine/registry.ts";
import { planStream, tablesOf } from "../engine/schema.ts";
import type { StreamDefinition } from "../engine/types.ts";

/** What reading a stream costs in API requests, in words. */
export function requestCost(stream: StreamDefinition): string {
  if (stream.pagination === "single") return "1 request";
  const source = stream.parent?.source;
  if (!source) {
    return seeksOnCursor(stream)
      ? "1 request per page of up to 250 records (read by seeking on the cursor)"
      : "1 request per page of up to 250 records";
  }
  if (source.kind === "inline") {
    const fallback = source.fallback
      ? `; +1 request per ${source.fallback.path} page for a ${stream.parent!.stream} record whose inline rows carry \`${source.fallback.marker}\` (more than 50 line items)`
      : "";
    return `0 extra requests: inline in the ${stream.parent!.stream} pages${fallback}`;
  }
  const condition = source.when ? ` whose \`${source.when.field}\` is ${source.when.is}` : "";
  return `1 request per ${stream.parent!.stream} record${condition} (per page of up to 250 rows)`;
}

function endpoint(stream: StreamDefinition): string {
  if (stream.path) return `${stream.api} \`/${stream.path}\``;
  const source = stream.parent!.source;
  if (source.kind === "subresource") return `${source.api} \`/${source.path.replace("{id}", `{${stream.parent!.stream}.id}`)}\``;
  return `inline: ${source.paths.map((p) => `\`${p}\``).join(", ")}`;
}

function replication(stream: StreamDefinition): string {
  if (!stream.cursor) return stream.parent ? `with its ${stream.parent.stream}` : "full table";
  const first = stream.cursor.firstRunIgnoresStartDate ? "; the first run reads everything" : "";
  return `incremental on \`${stream.cursor.field}\` (\`${stream.cursor.filter}\`)${first}`;
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
      `| \`${s.name}\` | ${endpoint(s)} | ${s.primaryKey.map((k) => `\`${k}\``).join(", ")} | ${replication(s)} | \`${s.scope}\` | ${requestCost(s)} | ${s.selectedByDefault === false ? "no" : "yes"} |`,
    );
  }
  lines.push("", "## Child tables split from nested arrays", "");
  for (const s of registry) {
    const split = tablesOf(planStream(s, { maxNestingDepth })).slice(1);
    if (split.length > 0) lines.push(`- \`${s.name}\`: ${split.map((t) => `\`${t.name}\``).join(", ")}`);
  }
  lines.push("", "## Nesting", "");
  for (const s of registry.filter((x) => !x.parent)) {
    const children = childrenOf(registry, s.name);
    if (children.length > 0) lines.push(`- \`${s.name}\` → ${children.map((c) => `\`${c.name}\``).join(", ")}`);
  }
  lines.push(
    "",
    "Selecting a child stream without its parent works: the parent is read, not emitted.",
    "Order line items and shipping addresses come inline with the order pages",
    "(`include=consignments.line_items&consignment_structure=object`), so a store of N orders costs",
    "about N/250 order-page requests plus only the fallbacks, coupon and transaction requests it truly needs.",
    "",
  );
  return lines.join("\n");
}
