// Adds package-lock.json entries for other platforms' optional native packages (DuckDB bindings,
// Deno binaries) that this machine's npm registry mirror does not serve. Without them `npm ci`
// refuses the lock ("Missing: … from lock file"); with them it skips those packages by os/cpu as
// usual. Run after `npm install` changes the lock: node scripts/lock-platforms.mjs
import { readFileSync, writeFileSync } from "node:fs";

const lockPath = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, "utf8"));
const platform = (name) => {
  const os = ["darwin", "linux", "win32"].find((o) => name.includes(`-${o}-`));
  const cpu = ["arm64", "x64"].find((c) => name.includes(`-${c}`));
  const libc = name.endsWith("-musl") ? ["musl"] : os === "linux" ? ["glibc"] : undefined;
  return { os: [os], cpu: [cpu], ...(libc ? { libc } : {}) };
};
let added = 0;
for (const [path, entry] of Object.entries(lock.packages)) {
  if (!path.startsWith("node_modules/@duckdb/node-bindings") && path !== "node_modules/deno") continue;
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (lock.packages[key]) continue;
    lock.packages[key] = { version, ...platform(name), optional: true, license: "MIT" };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))));
writeFileSync(lockPath, JSON.stringify(lock, null, 2) + "\n");
console.log(`added ${added} platform entries`);
