// `npm run bench [-- OPTIONS]`: bench/run.js with OPTIONS (e.g. `--orders 1000000`: rate limit off,
// records/s, CPU against `read_json`, peak RSS), then bench/scenarios.js at its own default size
// (its rate-limited scenarios take minutes at 20 000 orders; run it alone for other sizes). npm
// appends OPTIONS to the script's last command only, so this one script hands them to run.js.
import { spawnSync } from "node:child_process";

for (const [script, args] of [["run.js", process.argv.slice(2)], ["scenarios.js", []]]) {
  const { status, signal } = spawnSync(process.execPath, [new URL(script, import.meta.url).pathname, ...args], { stdio: "inherit" });
  if (status !== 0) {
    console.error(`bench/${script} ${signal ? `ended by ${signal}` : `exited with ${status}`}`);
    process.exit(status ?? 1);
  }
}
