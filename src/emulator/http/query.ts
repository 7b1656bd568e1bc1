/** Query parameters of one request: typed reads, and a record of which ones the endpoint understood. */
import { parseDateParam } from "../time.ts";

/** A parameter value the endpoint cannot use: answered with 400 (v2) or 422 (v3). */
export class BadParam extends Error {
  constructor(readonly param: string, message?: string) {
    super(message ?? `The filter '${param}' is invalid.`);
    this.name = "BadParam";
  }
}

/** The query string of a request. Reading a parameter marks it as understood. */
export class Query {
  private readonly used = new Set<string>();

  constructor(readonly params: URLSearchParams) {}

  /** The raw value, or undefined when absent. */
  get(name: string): string | undefined {
    this.used.add(name);
    return this.params.get(name) ?? undefined;
  }

  /** Whether the parameter is present. */
  has(name: string): boolean {
    this.used.add(name);
    return this.params.has(name);
  }

  /** An integer value; absent → undefined; not an integer → BadParam. */
  int(name: string): number | undefined {
    const v = this.get(name);
    if (v === undefined || v === "") return undefined;
    if (!/^-?\d+$/.test(v.trim())) throw new BadParam(name);
    return Number(v);
  }

  /** A number value; absent → undefined; not a number → BadParam. */
  num(name: string): number | undefined {
    const v = this.get(name);
    if (v === undefined || v === "") return undefined;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new BadParam(name);
    return n;
  }

  /** A comma-separated list; absent → undefined. */
  list(name: string): string[] | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    return v.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  }

  /** A comma-separated list of integers. */
  intList(name: string): number[] | undefined {
    const items = this.list(name);
    if (!items) return undefined;
    if (items.some((s) => !/^-?\d+$/.test(s))) throw new BadParam(name);
    return items.map(Number);
  }

  /** A date (RFC 2822, ISO 8601 or Unix seconds) as epoch milliseconds. */
  date(name: string): number | undefined {
    const v = this.get(name);
    if (v === undefined || v === "") return undefined;
    const ms = parseDateParam(v);
    if (ms === undefined) throw new BadParam(name);
    return ms;
  }

  /** The include list (`include=a,b`), as a set. */
  includes(): Set<string> {
    return new Set(this.list("include") ?? []);
  }

  /** Names of parameters present in the request that nothing read: the endpoint ignores them. */
  unused(): string[] {
    return [...new Set(this.params.keys())].filter((k) => !this.used.has(k));
  }
}
