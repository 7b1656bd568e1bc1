/**
 * Asking the store for its store-specific field names (`StoreFieldsRule.discover`), for
 * `--discover`: after the store identity check, a few bounded reads, and a warning instead of
 * a failure when the token lacks a scope or a read fails (the stream then keeps its static schema).
 */
import type { Config } from "../config/load.ts";
import { RuntimeFailure } from "../errors.ts";
import { type ApiClient, type ClientOptions, ScopeError } from "./http.ts";
import { checkStoreIdentity } from "./identity.ts";
import { readPages } from "./paginate.ts";
import { namesIn, type StoreFieldNames } from "./store-fields.ts";
import { clientFor } from "./sync.ts";
import type { StoreFieldsDiscovery, StreamDefinition } from "./types.ts";

/** Options of `readStoreFieldNames`. */
export interface StoreFieldReadOptions {
  /** Told about what was found, and warned about what could not be read. */
  log?: (message: string) => void;
  /** Overrides for the client (backoff timings in tests). */
  clientOptions?: Partial<ClientOptions>;
}

/** Retries of one discovery request: a store that does not answer costs a second or so, not minutes. */
const DISCOVERY_RETRIES = 1;
/** Seconds before a discovery request is abandoned. */
const DISCOVERY_TIMEOUT_SECONDS = 20;

/** The store-specific field names of every stream that declares them; streams whose read failed are left out. */
export async function readStoreFieldNames(
  config: Config,
  registry: readonly StreamDefinition[],
  options: StoreFieldReadOptions = {},
): Promise<StoreFieldNames> {
  const log = options.log ?? (() => {});
  const client = clientFor(config, {
    maxRetries: Math.min(config.max_retries, DISCOVERY_RETRIES),
    timeoutSeconds: Math.min(config.request_timeout, DISCOVERY_TIMEOUT_SECONDS),
    backoffBaseMs: 200,
    ...options.clientOptions,
  });
  // The store first, as for every run: not found or a rejected token is bad configuration (exit 2), unreachable is exit 1.
  await checkStoreIdentity(client, config);
  const found: StoreFieldNames = {};
  let unreachable: string | undefined;
  for (const stream of registry) {
    for (const rule of stream.storeFields ?? []) {
      const { discover } = rule;
      const keeps = `discovery: stream '${stream.name}' keeps its static schema (no ${rule.prefix}* columns from the store)`;
      const after = "; fields seen during a sync still become columns";
      if (unreachable !== undefined) {
        log(`warning: ${keeps}: the store could not be read (${unreachable}); reading them needs the OAuth scope '${discover.scope}'${after}`);
        continue;
      }
      try {
        const names = await namesFromStore(client, discover, config.page_size);
        (found[stream.name] ??= {})[rule.path] = names;
        log(`discovery: stream '${stream.name}': ${names.length} store-specific field(s) in ${rule.path} from ${discover.api}/${discover.path}`);
      } catch (error) {
        if (error instanceof ScopeError) {
          log(`warning: ${keeps}: the access token lacks the OAuth scope '${discover.scope}' (${error.message})${after}`);
        } else if (error instanceof RuntimeFailure) {
          unreachable = error.message;
          log(`warning: ${keeps}: the store could not be read (${unreachable}); reading them needs the OAuth scope '${discover.scope}'${after}`);
        } else throw error;
      }
    }
  }
  return found;
}

/** The distinct names in the first `maxPages` pages of a discovery read, sorted. */
async function namesFromStore(client: ApiClient, discover: StoreFieldsDiscovery, pageSize: number): Promise<string[]> {
  const names = new Set<string>();
  let pages = 0;
  const request = { stream: `${discover.api}/${discover.path} (discovery)`, api: discover.api, path: discover.path, style: discover.pagination, pageSize, params: { ...discover.params } };
  for await (const page of readPages(client, request)) {
    for (const item of page) for (const name of namesIn(item, discover.names, discover.where)) names.add(name);
    if (++pages >= (discover.maxPages ?? 1)) break;
  }
  return [...names].sort();
}
