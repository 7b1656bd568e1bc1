/** `check`: can this config reach the store, and which streams does the token's scope allow? One cheap request per stream. */
import { configFrom, parse } from "./args.ts";
import { ScopeError } from "../engine/http.ts";
import { fillPath } from "../engine/paths.ts";
import { clientFor } from "../engine/sync.ts";
import { registry } from "../../streams/index.ts";
import { RuntimeFailure } from "../errors.ts";

/** One stream's verdict. */
export interface CheckResult {
  stream: string;
  scope: string;
  status: "ok" | "missing scope" | "error";
  detail?: string;
}

/** Runs `check`. Exit 0 when the store answers (even with missing scopes, which are listed), 1 when it does not. */
export async function run(args: string[]): Promise<number> {
  const { values } = parse(args, { config: { type: "string", multiple: true }, format: { type: "string" } });
  const config = configFrom(values.config);
  const client = clientFor(config, { maxRetries: Math.min(config.max_retries, 2) });
  const results: CheckResult[] = [];
  const firstRecord = new Map<string, Record<string, unknown>>();
  const probe = async (name: string, scope: string, api: "v2" | "v3", path: string, query: Record<string, number>) => {
    try {
      const { body } = await client.get(api, path, query);
      const first = Array.isArray(body) ? body[0] : (body as { data?: unknown[] } | null)?.data?.[0] ?? body;
      if (first && typeof first === "object") firstRecord.set(name, first as Record<string, unknown>);
      results.push({ stream: name, scope, status: "ok" });
    } catch (error) {
      if (error instanceof ScopeError) results.push({ stream: name, scope, status: "missing scope" });
      else if (error instanceof RuntimeFailure && /401/.test(error.message)) throw error;
      else results.push({ stream: name, scope, status: "error", detail: (error as Error).message });
    }
  };
  for (const stream of registry) {
    if (stream.path && stream.api) await probe(stream.name, stream.scope, stream.api, stream.path, stream.pagination === "single" ? {} : { limit: 1 });
  }
  // Child streams: a sub-resource is asked for with the parent's first record; inline rows share the parent's verdict.
  for (const stream of registry.filter((s) => s.parent)) {
    const source = stream.parent!.source;
    const parentRecord = firstRecord.get(stream.parent!.stream);
    if (source.kind === "subresource" && parentRecord) {
      await probe(stream.name, stream.scope, source.api, fillPath(source.path, parentRecord), { limit: 1 });
      continue;
    }
    const parent = results.find((r) => r.stream === stream.parent!.stream);
    if (parent) {
      const unverified = source.kind === "subresource";
      results.push({
        stream: stream.name,
        scope: stream.scope,
        status: unverified && parent.status === "ok" ? "error" : parent.status,
        detail: unverified ? `the store has no ${parent.stream} record to check ${stream.name} with` : `inline with ${parent.stream}`,
      });
    }
  }
  if (values.format === "json") {
    process.stdout.write(JSON.stringify({ store_hash: config.store_hash, requests: client.requests, streams: results }, null, 2) + "\n");
  } else {
    const width = Math.max(...results.map((r) => r.stream.length));
    process.stdout.write(`store ${config.store_hash} at ${config.api_url}: reachable, ${client.requests} requests\n`);
    for (const r of results) {
      const hint = r.status === "missing scope" ? ` — add the OAuth scope ${r.scope}` : r.detail && r.status === "error" ? ` — ${r.detail}` : "";
      process.stdout.write(`  ${r.stream.padEnd(width)}  ${r.status}${hint}\n`);
    }
  }
  return results.some((r) => r.status === "error") ? 1 : 0;
}
