/**
 * The store identity check every run begins with: one `GET v2/store`. A store that is not
 * there (404: wrong store_hash, or api_url set to the "API path" with `/stores/…`) and a
 * rejected token (401) are bad configuration, caught before anything is read or written;
 * a 403 only means the token lacks `store_v2_information_read_only`: the store exists.
 */
import type { Config } from "../config/load.ts";
import { InputError, RuntimeFailure } from "../errors.ts";
import { type ApiClient, AuthError, NotFoundError, ScopeError } from "./http.ts";
import type { State, StateStore } from "./types.ts";

/** The endpoint the identity check reads (the `store` stream's own endpoint, so its row reuses the answer). */
export const IDENTITY_ENDPOINT = { api: "v2", path: "store" } as const;

/** What the identity check learned. */
export type StoreIdentity =
  /** The store profile (`id`, `name`, `domain`…). */
  | { readable: true; record: Record<string, unknown> }
  /** The store exists but the token lacks the scope to read its profile. */
  | { readable: false; scopeError: ScopeError };

/** Reads `v2/store`. Throws InputError (exit 2) for a store that is not found or a rejected token. */
export async function checkStoreIdentity(client: ApiClient, config: Pick<Config, "store_hash" | "api_url">): Promise<StoreIdentity> {
  try {
    const { body } = await client.get(IDENTITY_ENDPOINT.api, IDENTITY_ENDPOINT.path);
    if (!body || typeof body !== "object" || Array.isArray(body)) {
      throw new RuntimeFailure(`v2/store answered without a store record (${body === null ? "no content" : typeof body}); cannot confirm the store`);
    }
    return { readable: true, record: body as Record<string, unknown> };
  } catch (error) {
    if (error instanceof ScopeError) return { readable: false, scopeError: error };
    if (error instanceof NotFoundError) {
      throw new InputError(
        `store '${config.store_hash}' not found at ${config.api_url}: check store_hash and api_url — the base URL, without /stores/… (${error.message})`,
      );
    }
    if (error instanceof AuthError) {
      throw new InputError(`store '${config.store_hash}' at ${config.api_url} rejected the access token (${error.message}); check access_token`);
    }
    throw error;
  }
}

/** One line naming the store: `store 'abc123' ("My Shop", id 1000123)`, or without the profile when it cannot be read. */
export function describeStore(config: Pick<Config, "store_hash">, identity: StoreIdentity): string {
  if (!identity.readable) return `store '${config.store_hash}'`;
  const { name, id } = identity.record;
  return `store '${config.store_hash}' (${JSON.stringify(name ?? "")}${id !== undefined ? `, id ${id}` : ""})`;
}

/** The store as a state records it. */
export function stateStore(config: Pick<Config, "store_hash">, identity: StoreIdentity): StateStore {
  const store: StateStore = { store_hash: config.store_hash };
  if (identity.readable) {
    const { id, name } = identity.record;
    if (typeof id === "number" || typeof id === "string") store.id = id;
    if (typeof name === "string") store.name = name;
  }
  return store;
}

function describeStateStore(store: StateStore): string {
  const details = [store.name !== undefined ? JSON.stringify(store.name) : undefined, store.id !== undefined ? `id ${store.id}` : undefined].filter(Boolean);
  return `store '${store.store_hash}'${details.length ? ` (${details.join(", ")})` : ""}`;
}

/**
 * One state, one store: a state that has no store yet records this one; a state of another
 * store is bad input (exit 2), naming both stores, `where` the state is and `remedy`.
 */
export function bindState(state: State, config: Pick<Config, "store_hash">, identity: StoreIdentity, where: string, remedy: string): void {
  const current = stateStore(config, identity);
  const bound = state.store;
  const sameId = bound?.id === undefined || current.id === undefined || String(bound.id) === String(current.id);
  if (bound && (bound.store_hash !== current.store_hash || !sameId)) {
    throw new InputError(`${where} holds ${describeStateStore(bound)}; this config reads ${describeStateStore(current)}: ${remedy}`);
  }
  state.store = { ...bound, ...current };
}
