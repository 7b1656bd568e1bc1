/** Reading values out of nested records: dotted paths, `[]` fan-outs, path templates. */

/** One step of a path: a key, and whether it fans out over an array (`key[]`). */
interface Step {
  key: string;
  fanOut: boolean;
}

/** Paths split once: every path comes from the registry (a few dozen), and each is read for every record. */
const stepsByPath = new Map<string, readonly Step[]>();

function stepsOf(path: string): readonly Step[] {
  let steps = stepsByPath.get(path);
  if (steps === undefined) {
    steps = path.split(".").map((segment) => (segment.endsWith("[]") ? { key: segment.slice(0, -2), fanOut: true } : { key: segment, fanOut: false }));
    stepsByPath.set(path, steps);
  }
  return steps;
}

/** The value at a dotted path. */
export function valueAt(object: Record<string, unknown>, path: string): unknown {
  const steps = stepsOf(path);
  let current: unknown = object;
  for (let i = 0; i < steps.length; i++) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[steps[i]!.key];
  }
  return current;
}

/** An object found by `collect`, and whether it or a container on its way carries the marker. */
export interface Found {
  object: Record<string, unknown>;
  marked: boolean;
}

/**
 * Objects found at a path like `consignments.shipping[].line_items[]`; each is `marked` when it or
 * a container on the way has the key `marker` (a cut-short flag such as `__truncated`).
 */
export function collect(root: Record<string, unknown>, path: string, marker?: string): Found[] {
  const out: Found[] = [];
  visit(root, stepsOf(path), 0, false, marker, out);
  return out;
}

/** Depth first: the objects come in the order of their arrays, as a level-by-level read finds them. */
function visit(value: unknown, steps: readonly Step[], at: number, marked: boolean, marker: string | undefined, out: Found[]): void {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return;
  const container = value as Record<string, unknown>;
  if (at === steps.length) {
    out.push({ object: container, marked });
    return;
  }
  const seen = marked || (marker !== undefined && Object.hasOwn(container, marker));
  const step = steps[at]!;
  const child = container[step.key];
  if (!step.fanOut) visit(child, steps, at + 1, seen, marker, out);
  else if (Array.isArray(child)) for (let i = 0; i < child.length; i++) visit(child[i], steps, at + 1, seen, marker, out);
}

/** A path template with `{field}` placeholders filled from a record. */
export function fillPath(template: string, record: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (_, field) => encodeURIComponent(String(valueAt(record, field))));
}
