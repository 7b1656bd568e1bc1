/**
 * A real headless Chromium (Debian's `chromium`, driven by playwright-core) for checking the
 * HTML report as a browser renders it. Mandatory when CI=true (.ci/run installs it); elsewhere
 * a test without it (or without the playwright-core devDependency, in a node_modules that
 * predates it) is skipped, saying why.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

/** Where Debian installs Chromium (override with CHROMIUM_PATH). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Why a Chromium test cannot run here, or undefined when it can (or must: CI=true). */
export function chromiumSkipReason(): string | undefined {
  if (process.env.CI === "true") return undefined;
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH; mandatory when CI=true)`;
  try {
    createRequire(import.meta.url).resolve("playwright-core");
  } catch {
    return "the playwright-core devDependency is not installed (run npm ci; mandatory when CI=true)";
  }
  return undefined;
}

/** What a page did in the browser. */
export interface Rendered {
  /** Console errors and uncaught page errors. */
  errors: string[];
  /** Every URL the page asked for besides itself. */
  requests: string[];
  /** How much wider than the viewport the page is, in CSS pixels (0: nothing sticks out). */
  overflowX: number;
  /** Share of the screenshot's pixels that are dark (text, bars, axes): 0 for a blank page. */
  inked: number;
  /** Distinct colours in the screenshot (sampled). */
  colours: number;
  /** The page's visible text. */
  text: string;
}

const FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync",
];

/** Opens `file` in a fresh headless Chromium (its own user-data-dir), screenshots the full page to `screenshot`, and reports. */
export async function renderInChromium(file: string, screenshot: string): Promise<Rendered> {
  if (!existsSync(CHROMIUM)) throw new Error(`CI=true and no Chromium at ${CHROMIUM}: .ci/run installs it (apt-get install chromium)`);
  const { chromium } = await import("playwright-core");
  const profile = mkdtempSync(join(tmpdir(), "tap-bc-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1280, height: 900 },
  });
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    const self = pathToFileURL(file).href;
    page.on("console", (message) => { if (message.type() === "error") errors.push(message.text()); });
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("request", (request) => { if (request.url() !== self) requests.push(request.url()); });
    await page.goto(self, { waitUntil: "load" });
    const overflowX = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    const text = await page.evaluate(() => document.body.innerText);
    await page.screenshot({ path: screenshot, fullPage: true });
    // Read the screenshot back in the browser itself: decode the PNG on a canvas and count pixels.
    const png = `data:image/png;base64,${readFileSync(screenshot).toString("base64")}`;
    const probe = await context.newPage();
    const { inked, colours } = await probe.evaluate(async (src) => {
      const image = new Image();
      image.src = src;
      await image.decode();
      const canvas = document.createElement("canvas");
      canvas.width = image.width;
      canvas.height = image.height;
      const g = canvas.getContext("2d")!;
      g.drawImage(image, 0, 0);
      const { data } = g.getImageData(0, 0, image.width, image.height);
      let ink = 0;
      const seen = new Set<string>();
      for (let i = 0; i < data.length; i += 4) {
        if (data[i] + data[i + 1] + data[i + 2] < 3 * 180) ink++;
        if (i % 40 === 0) seen.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
      }
      return { inked: ink / (data.length / 4), colours: seen.size };
    }, png);
    return { errors, requests, overflowX, inked, colours, text };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
