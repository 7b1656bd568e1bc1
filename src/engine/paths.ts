/** Reading values out of nested records: dotted paths, `[]` fan-outs, path templates. */

/** The value at a dotted path. */
export function valueAt(object: Record<string, unknown>, path: string): unknown {
  let current: unknown = object;
  for (const key of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * Objects found at a path like `consignments.shipping[].line_items[]`; each is `marked` when it or
 * a container on the way has the key `marker` (a cut-short flag such as `__truncated`).
 */
export function collect(root: Record<string, unknown>, path: string, marker?: string): { object: Record<string, unknown>; marked: boolean }[] {
  let frontier: { value: unknown; marked: boolean }[] = [{ value: root, marked: false }];
  for (const segment of path.split(".")) {
    const fanOut = segment.endsWith("[]");
    const key = fanOut ? segment.slice(0, -2) : segment;
    const next: typeof frontier = [];
    for (const { value, marked } of frontier) {
      if (value === null || typeof value !== "object" || Array.isArray(value)) continue;
      const container = value as Record<string, unknown>;
      const seen = marked || (marker !== undefined && Object.hasOwn(container, marker));
      const child = container[key];
      if (fanOut) {
        if (Array.isArray(child)) for (const item of child) next.push({ value: item, marked: seen });
      } else next.push({ value: child, marked: seen });
    }
    frontier = next;
  }
  return frontier
    .filter((f) => f.value !== null && typeof f.value === "object" && !Array.isArray(f.value))
    .map((f) => ({ object: f.value as Record<string, unknown>, marked: f.marked }));
}

/** A path template with `{field}` placeholders filled from a record. */
export function fillPath(template: string, record: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (_, field) => encodeURIComponent(String(valueAt(record, field))));
}

