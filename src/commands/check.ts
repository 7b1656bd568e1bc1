/**
 * `check`: the store identity check (`v2/store`), then which streams the token's scope allows —
 * one cheap request per stream. A store that is not found or a rejected token is exit 2, an
 * unreachable API exit 1; "reachable" is printed only for a store that answered.
 */
import { configFrom, parseCommand } from "./args.ts";
import { CHECK } from "./specs.ts";
import { NotFoundError, ScopeError } from "../engine/http.ts";
import { checkStoreIdentity, describeStore, IDENTITY_ENDPOINT } from "../engine/identity.ts";
import { fillPath } from "../engine/paths.ts";
import { isChild, isRoot } from "../engine/registry.ts";
import { clientFor } from "../engine/sync.ts";
import { redact } from "../log.ts";
import { counted } from "../plural.ts";
import { registry } from "../../streams/index.ts";

/** One stream's verdict. */
export interface CheckResult {
  stream: string;
  scope: string;
  status: "ok" | "missing scope" | "error";
  detail?: string;
}

/** Runs `check`. Exit 0 when the store answers (even with missing scopes, which are listed), 1 when a stream cannot be read. */
export async function run(args: string[]): Promise<number> {
  const { values } = parseCommand(CHECK, args);
  const config = configFrom(values.config);
  const client = clientFor(config, { maxRetries: Math.min(config.max_retries, 2) });
  const identity = await checkStoreIdentity(client, config);
  const results: CheckResult[] = [];
  const firstRecord = new Map<string, Record<string, unknown>>();
  const probe = async (name: string, scope: string, api: "v2" | "v3", path: string, query: Record<string, number>, notFoundMeansNone = false) => {
    try {
      const { body } = await client.get(api, path, query);
      const first = Array.isArray(body) ? body[0] : (body as { data?: unknown[] } | null)?.data?.[0] ?? body;
      if (first && typeof first === "object") firstRecord.set(name, first as Record<string, unknown>);
      results.push({ stream: name, scope, status: "ok" });
    } catch (error) {
      if (error instanceof ScopeError) results.push({ stream: name, scope, status: "missing scope" });
      else if (error instanceof NotFoundError && notFoundMeansNone) results.push({ stream: name, scope, status: "ok" });
      else results.push({ stream: name, scope, status: "error", detail: (error as Error).message });
    }
  };
  for (const stream of registry.filter(isRoot)) {
    // The identity check already asked the store stream's endpoint.
    if (stream.api === IDENTITY_ENDPOINT.api && stream.path === IDENTITY_ENDPOINT.path) {
      if (identity.readable) firstRecord.set(stream.name, identity.record);
      results.push({ stream: stream.name, scope: stream.scope, status: identity.readable ? "ok" : "missing scope" });
      continue;
    }
    await probe(stream.name, stream.scope, stream.api, stream.path, stream.pagination === "single" ? {} : { limit: 1 });
  }
  // Child streams: a sub-resource is asked for with the parent's first record; inline rows share the parent's verdict.
  for (const stream of registry.filter(isChild)) {
    const source = stream.parent.source;
    const parentRecord = firstRecord.get(stream.parent.stream);
    if (source.kind === "subresource" && parentRecord) {
      await probe(stream.name, stream.scope, source.api, fillPath(source.path, parentRecord), { limit: 1 }, source.notFoundMeansNone);
      continue;
    }
    const parent = results.find((r) => r.stream === stream.parent.stream);
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
  const store = identity.readable
    ? { found: true, readable: true, id: identity.record.id, name: identity.record.name }
    : { found: true, readable: false, detail: `the token lacks the OAuth scope ${IDENTITY_SCOPE} (${identity.scopeError.message})` };
  let out: string;
  if (values.format === "json") {
    out = JSON.stringify({ store_hash: config.store_hash, store, requests: client.requests, streams: results }, null, 2) + "\n";
  } else {
    const width = Math.max(...results.map((r) => r.stream.length));
    const found = identity.readable
      ? "reachable"
      : `found, but its profile is unreadable: the token lacks the OAuth scope ${IDENTITY_SCOPE}`;
    out = `${describeStore(config, identity)} at ${config.api_url}: ${found}, ${counted(client.requests, "request")}\n`;
    for (const r of results) {
      const hint = r.status === "missing scope" ? ` — add the OAuth scope ${r.scope}` : r.detail && r.status === "error" ? ` — ${r.detail}` : "";
      out += `  ${r.stream.padEnd(width)}  ${r.status}${hint}\n`;
    }
  }
  // API error bodies can quote the request (token included): nothing leaves unredacted.
  process.stdout.write(redact(out));
  return results.some((r) => r.status === "error") ? 1 : 0;
}

/** The scope `v2/store` needs: that of the registry's stream on the identity endpoint. */
const IDENTITY_SCOPE = registry.find((s) => s.api === IDENTITY_ENDPOINT.api && s.path === IDENTITY_ENDPOINT.path)!.scope;
