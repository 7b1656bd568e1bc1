/** `check`: can this config reach the store, and which streams does the token's scope allow? One cheap request per stream. */
import { configFrom, parse } from "./args.ts";
import { ScopeError } from "../engine/http.ts";
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
  for (const stream of registry) {
    if (!stream.path || !stream.api) continue;
    const query: Record<string, number> = stream.pagination === "single" ? {} : { limit: 1 };
    try {
      await client.get(stream.api, stream.path, query);
      results.push({ stream: stream.name, scope: stream.scope, status: "ok" });
    } catch (error) {
      if (error instanceof ScopeError) results.push({ stream: stream.name, scope: stream.scope, status: "missing scope" });
      else if (error instanceof RuntimeFailure && /401/.test(error.message)) throw error;
      else results.push({ stream: stream.name, scope: stream.scope, status: "error", detail: (error as Error).message });
    }
  }
  // Child streams share their parent's verdict unless they need another scope.
  for (const stream of registry.filter((s) => s.parent)) {
    const parent = results.find((r) => r.stream === stream.parent!.stream);
    const sameScope = results.find((r) => r.scope === stream.scope);
    const verdict = sameScope ?? parent;
    if (verdict) results.push({ stream: stream.name, scope: stream.scope, status: verdict.status, detail: `via ${verdict.stream}` });
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
