/** Shared helpers of the emulator tests: start an emulator, call it, and find the shared API reference. */
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Emulator, type EmulatorOptions, startEmulator } from "../../src/emulator/index.ts";

/** The repository root. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** BigCommerce's reference specs, next to the repository (absent outside the workshop). */
export const SHARED_API = resolve(REPO_ROOT, "../shared/bigcommerce-api");
/** Whether the shared reference is there. */
export const HAS_SHARED = existsSync(resolve(SHARED_API, "reference"));

/** Starts an emulator with small sizes and no rate limit unless the test says otherwise. */
export function start(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({ rateLimit: false, ...options });
}

/** A response with its body parsed (undefined for an empty body). */
export interface Got {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

/** GET `path` (below `/stores/{hash}`) with the emulator's token (or `token`, or none with `null`). */
export async function get(emu: Emulator, path: string, token: string | null = emu.accessToken): Promise<Got> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (token !== null) headers["X-Auth-Token"] = token;
  const url = `${emu.url}/stores/${emu.storeHash}${path}`;
  // A kept-alive connection the server closed while this process was busy (a long schema
  // compile on a loaded machine) fails with ECONNRESET: that is the client's stale socket, so ask once more.
  const res = await fetch(url, { headers }).catch((error) => {
    if ((error as { cause?: { code?: string } }).cause?.code !== "ECONNRESET") throw error;
    return fetch(url, { headers });
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined };
}

/** Reads every page of a v2 list (until 204), returning the rows and the number of requests. */
export async function allV2(emu: Emulator, path: string, limit = 250): Promise<{ rows: any[]; requests: number }> {
  const rows: any[] = [];
  let requests = 0;
  for (let page = 1; ; page++) {
    const sep = path.includes("?") ? "&" : "?";
    const r = await get(emu, `${path}${sep}page=${page}&limit=${limit}`);
    requests++;
    if (r.status === 204) return { rows, requests };
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${r.text}`);
    rows.push(...r.json);
  }
}

/** Reads every page of a v3 offset list. */
export async function allV3(emu: Emulator, path: string, limit = 250): Promise<any[]> {
  const rows: any[] = [];
  for (let page = 1; ; page++) {
    const sep = path.includes("?") ? "&" : "?";
    const r = await get(emu, `${path}${sep}page=${page}&limit=${limit}`);
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${r.text}`);
    rows.push(...r.json.data);
    if (page >= r.json.meta.pagination.total_pages) return rows;
  }
}
