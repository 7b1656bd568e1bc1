/**
 * The stream registry: every BigCommerce stream tap-bigcommerce knows, as plain data.
 * Adding a stream is adding an entry to one of these files (and its schema under
 * `schemas/`); the engine, hosts and destinations read nothing else.
 */
import type { StreamDefinition } from "../src/engine/types.ts";
import orders from "./orders.ts";
import customers from "./customers.ts";
import catalog from "./catalog.ts";
import store from "./store.ts";

/** All streams, parents before their children. */
export const registry: readonly StreamDefinition[] = [...orders, ...customers, ...catalog, ...store];
