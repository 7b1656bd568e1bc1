/**
 * What Meltano does to a tap's catalog between `--discover` and the sync: apply `select`
 * rules (`<stream>.<property>` glob patterns, `!` to exclude), setting `selected` on every
 * stream and property entry.
 */
import type { Catalog } from "./singer.ts";

/** An fnmatch-style glob (`*`, `?`) as a RegExp. */
function glob(pattern: string): RegExp {
  return new RegExp("^" + pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*").replaceAll("?", ".") + "$");
}

/** A select rule: stream and property patterns, and whether it excludes. */
interface Rule {
  stream: RegExp;
  property: RegExp;
  exclude: boolean;
}

function parseRule(text: string): Rule {
  const exclude = text.startsWith("!");
  const body = exclude ? text.slice(1) : text;
  const dot = body.indexOf(".");
  const [stream, property] = dot < 0 ? [body, "*"] : [body.slice(0, dot), body.slice(dot + 1)];
  return { stream: glob(stream), property: glob(property), exclude };
}

/**
 * Applies Meltano `select` rules: a stream is selected when an include rule matches it (and
 * no exclude rule excludes it whole); a property when an include rule matches it and no
 * exclude rule does.
 */
export function applySelect(catalog: Catalog, rules: string[]): Catalog {
  const parsed = rules.map(parseRule);
  const includes = parsed.filter((r) => !r.exclude);
  const excludes = parsed.filter((r) => r.exclude);
  const copy = structuredClone(catalog);
  for (const entry of copy.streams) {
    const id = entry.tap_stream_id;
    const streamSelected = includes.some((r) => r.stream.test(id)) &&
      !excludes.some((r) => r.stream.test(id) && r.property.source === "^.*$");
    for (const m of entry.metadata) {
      if (m.breadcrumb.length === 0) {
        m.metadata.selected = streamSelected;
        continue;
      }
      const property = String(m.breadcrumb.at(-1));
      m.metadata.selected = streamSelected &&
        includes.some((r) => r.stream.test(id) && r.property.test(property)) &&
        !excludes.some((r) => r.stream.test(id) && r.property.test(property));
    }
  }
  return copy;
}
