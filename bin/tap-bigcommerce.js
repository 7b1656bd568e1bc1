#!/usr/bin/env node
// The npm executable: runs the compiled CLI (built by `npm run build`, which `npm ci` runs via `prepare`).
import { runAndExit } from "../dist/src/cli.js";
await runAndExit(process.argv.slice(2));
