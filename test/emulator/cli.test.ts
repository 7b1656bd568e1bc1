/** The `emulator` command: one JSON line when ready, serves until SIGINT/SIGTERM, strict arguments. */
import { readFileSync } from "node:fs";
import process from "node:process";
import { afterEach, describe, expect, it, vi } from "vitest";
import { NAMED_MISBEHAVIOURS, runEmulatorCommand } from "../../src/emulator/index.ts";

/** The lines written to stdout (the spy is restored after each test). */
function captureStdout(): string[] {
  const lines: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation(((chunk: string) => {
    lines.push(String(chunk));
    return true;
  }) as typeof process.stdout.write);
  return lines;
}

describe("runEmulatorCommand", () => {
  afterEach(() => vi.restoreAllMocks());

  it("prints {api_url, store_hash, access_token}, serves, and stops on SIGTERM with exit code 0", async () => {
    const lines = captureStdout();
    const done = runEmulatorCommand(["--port", "0", "--store-hash", "clitest", "--token", "tok", "--seed", "3", "--orders", "12", "--quota", "5", "--window-ms", "1000", "--latency-ms", "0,1.5", "--changed-orders", "3"]);
    await vi.waitFor(() => expect(lines.length).toBe(1), { timeout: 10_000 });
    expect(lines[0]!.endsWith("\n")).toBe(true);
    const ready = JSON.parse(lines[0]!);
    expect(Object.keys(ready).sort()).toEqual(["access_token", "api_url", "store_hash"]);
    expect(ready).toMatchObject({ store_hash: "clitest", access_token: "tok" });
    expect(ready.api_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const t0 = Date.now();
    const res = await fetch(`${ready.api_url}/stores/clitest/v2/orders?limit=250`, { headers: { "X-Auth-Token": "tok" } });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(12 * 1.5 - 1); // --latency-ms 0,1.5: 1.5 ms per listed order
    expect(res.status).toBe(200);
    expect(await res.json()).toHaveLength(12);
    expect(res.headers.get("x-rate-limit-requests-quota")).toBe("5");
    expect(res.headers.get("x-rate-limit-time-window-ms")).toBe("1000");
    // --changed-orders 3: three orders modified after the generated history (which ends 2025-06-01).
    const changed = await fetch(`${ready.api_url}/stores/clitest/v2/orders/count?min_date_modified=2025-06-01T00:00:01Z`, { headers: { "X-Auth-Token": "tok" } });
    expect((await changed.json()).count).toBe(3);
    process.emit("SIGTERM");
    await expect(done).resolves.toBe(0);
    await expect(fetch(`${ready.api_url}/stores/clitest/v2/orders`)).rejects.toThrow();
  });

  it("--archived-orders N archives N orders at seed time: the list and the count leave them out, is_deleted=true lists only them", async () => {
    const lines = captureStdout();
    const done = runEmulatorCommand(["--port", "0", "--store-hash", "archtest", "--token", "tok", "--orders", "20", "--archived-orders", "3", "--no-rate-limit"]);
    await vi.waitFor(() => expect(lines.length).toBe(1), { timeout: 10_000 });
    const { api_url } = JSON.parse(lines[0]!);
    const get = async (path: string) => await (await fetch(`${api_url}/stores/archtest/v2/${path}`, { headers: { "X-Auth-Token": "tok" } })).json();
    const live = await get("orders?limit=250") as { id: number; is_deleted: boolean }[];
    const archived = await get("orders?limit=250&is_deleted=true") as { id: number; is_deleted: boolean }[];
    expect(live.map((o) => o.is_deleted)).toEqual(Array(17).fill(false));
    expect(archived.map((o) => o.is_deleted)).toEqual([true, true, true]);
    expect(new Set([...live, ...archived].map((o) => o.id)).size).toBe(20);
    expect((await get("orders/count")).count).toBe(17);
    process.emit("SIGTERM");
    await expect(done).resolves.toBe(0);
    await expect(runEmulatorCommand(["--archived-orders", "x"])).rejects.toMatchObject({ exitCode: 2, message: /--archived-orders/ });
  });

  it("--misbehave NAME[@PATH] switches on standing misbehaviours; an unknown name is bad input", async () => {
    const lines = captureStdout();
    const done = runEmulatorCommand(["--orders", "60", "--no-rate-limit", "--misbehave", "no-key@/v2/currencies", "--misbehave", "cap-50"]);
    await vi.waitFor(() => expect(lines.length).toBe(1), { timeout: 10_000 });
    const ready = JSON.parse(lines[0]!);
    const get = async (path: string) => (await fetch(`${ready.api_url}/stores/${ready.store_hash}${path}`, { headers: { "X-Auth-Token": ready.access_token } })).json();
    expect(await get("/v2/orders?limit=100&page=1")).toHaveLength(50);
    expect(await get("/v2/orders?limit=100&page=2")).toHaveLength(10);
    const currencies = await get("/v2/currencies") as Record<string, unknown>[];
    expect(currencies[0]).not.toHaveProperty("id");
    expect(currencies[1]).toHaveProperty("id");
    process.emit("SIGTERM");
    await expect(done).resolves.toBe(0);
    await expect(runEmulatorCommand(["--misbehave", "sulk"])).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/unknown misbehaviour 'sulk'; known: no-cursor-meta/) });
  });

  it("docs/emulator.md lists every misbehaviour with its default path", () => {
    const doc = readFileSync(new URL("../../docs/emulator.md", import.meta.url), "utf8");
    for (const [name, { rule }] of Object.entries(NAMED_MISBEHAVIOURS)) expect(doc, name).toContain(`| \`${name}\` | \`${rule.match}\` |`);
  });

  it("rejects unknown flags and bad values as bad input", async () => {
    await expect(runEmulatorCommand(["--bogus"])).rejects.toMatchObject({ exitCode: 2 });
    await expect(runEmulatorCommand(["--orders", "many"])).rejects.toMatchObject({ exitCode: 2 });
    await expect(runEmulatorCommand(["--store-hash", "Bad-Hash"])).rejects.toMatchObject({ exitCode: 2 });
    await expect(runEmulatorCommand(["--latency-ms", "200,four"])).rejects.toMatchObject({ exitCode: 2, message: /--latency-ms/ });
    await expect(runEmulatorCommand(["--latency-ms", "1,2,3"])).rejects.toMatchObject({ exitCode: 2, message: /BASE,PER_ROW/ });
    await expect(runEmulatorCommand(["--orders", "5", "--changed-orders", "6"])).rejects.toMatchObject({ exitCode: 2, message: /--changed-orders 6/ });
  });
});
