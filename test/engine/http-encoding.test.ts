/**
 * The client asks for compressed answers, as BigCommerce gives them, and reads them: a server
 * that answers gzip, deflate or plain JSON (chosen per path) gives the same parsed body, and
 * the client says what it accepts. Bodies all in ASCII and bodies that start with a UTF-8
 * byte-order mark read the same.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { deflateSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../../src/engine/http.ts";

const BODY = [{ id: 1, total_inc_tax: "12.5000", name: "Ünïcødé" }];
const ASCII_BODY = [{ id: 2, total_inc_tax: "3.0000", name: "plain" }];
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
let server: Server;
let client: ApiClient;
const accepted: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    accepted.push(String(req.headers["accept-encoding"]));
    const text = Buffer.from(JSON.stringify(req.url!.includes("ascii") ? ASCII_BODY : BODY));
    const json = req.url!.includes("bom") ? Buffer.concat([BOM, text]) : text;
    if (req.url!.includes("/empty")) {
      res.writeHead(204, { "content-encoding": "gzip" });
      res.end();
      return;
    }
    const encoding = req.url!.includes("/gzip") ? "gzip" : req.url!.includes("/deflate") ? "deflate" : undefined;
    const body = encoding === "gzip" ? gzipSync(json) : encoding === "deflate" ? deflateSync(json) : json;
    res.writeHead(200, { "content-type": "application/json", ...(encoding && { "content-encoding": encoding }) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  client = new ApiClient({ apiUrl: `http://127.0.0.1:${port}`, storeHash: "s1", accessToken: "t", timeoutSeconds: 5, maxRetries: 0, maxConcurrency: 2, rateLimitReserve: 0 });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("compressed answers", () => {
  it.each(["gzip", "deflate", "plain"])("reads a %s body", async (encoding) => {
    const response = await client.get("v2", encoding);
    expect(response.status).toBe(200);
    expect(response.body).toEqual(BODY);
  });

  it.each(["gzip-ascii", "plain-ascii", "plain-bom", "gzip-bom", "gzip-ascii-bom"])("reads a %s body", async (path) => {
    const response = await client.get("v2", path);
    expect(response.body).toEqual(path.includes("ascii") ? ASCII_BODY : BODY);
  });

  it("reads a 204 that names an encoding but has no body as no body", async () => {
    const response = await client.get("v2", "empty");
    expect(response).toMatchObject({ status: 204, body: null });
  });

  it("asks for gzip or deflate", () => {
    expect(accepted.length).toBeGreaterThan(0);
    for (const value of accepted) expect(value).toBe("gzip, deflate");
  });
});
