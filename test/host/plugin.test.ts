import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { pluginYaml } from "../../scripts/plugin-yml.ts";
import { ROOT, runCli, tempDir, writeFile } from "../support/cli.ts";
import { applySelect } from "../support/meltano.ts";
import { type Catalog, emulatorSettings, rootMetadata } from "../support/singer.ts";
import { startEmulator } from "../../src/emulator/index.ts";

interface YamlSetting {
  name: string;
  kind: string;
  label: string;
  description: string;
  sensitive?: boolean;
  value?: unknown;
}

/** The JSON Schema type `--about` gives a Meltano setting kind. */
const JSON_TYPE_OF_KIND: Record<string, string> = { string: "string", integer: "integer", number: "number", boolean: "boolean", date_iso8601: "string", object: "object" };

describe("plugin.yml", () => {
  const text = readFileSync(join(ROOT, "plugin.yml"), "utf8");
  const plugin = parse(text) as Record<string, unknown> & { settings: YamlSetting[] };
  let about: {
    name: string;
    namespace: string;
    version: string;
    capabilities: string[];
    settings: { properties: Record<string, Record<string, unknown>>; required: string[] };
    streams: string[];
  };
  beforeAll(async () => {
    const result = await runCli(["--about", "--format", "json"]);
    expect(result.code, result.stderr).toBe(0);
    about = JSON.parse(result.stdout);
  });

  it("is the generated text (regenerate with `npm run docs`)", () => {
    expect(text).toBe(pluginYaml());
  });

  it("is a Meltano Hub extractor definition", () => {
    for (const key of ["name", "namespace", "variant", "label", "description", "docs", "repo", "executable", "capabilities", "settings", "settings_group_validation", "select"]) {
      expect(plugin, key).toHaveProperty(key);
    }
    expect(plugin.name).toBe("tap-bigcommerce");
    expect(plugin.namespace).toBe("tap_bigcommerce");
    expect(plugin.executable).toBe("tap-bigcommerce");
    expect(plugin).not.toHaveProperty("pip_url"); // a Node executable: nothing for pip to install
    expect(String(plugin.repo)).toMatch(/^https:\/\//);
    expect(String(plugin.docs)).toMatch(/^https:\/\//);
    for (const s of plugin.settings) {
      expect(Object.keys(s).every((k) => ["name", "kind", "label", "description", "sensitive", "value"].includes(k)), s.name).toBe(true);
      // Meltano deprecates kind: password in favour of sensitive: true.
      expect(["string", "integer", "boolean", "date_iso8601", "object", "number"]).toContain(s.kind);
    }
  });

  it("agrees with `--about --format json` on names, kinds, defaults, sensitivity, required settings and capabilities", () => {
    expect(about.name).toBe(plugin.name);
    expect(about.namespace).toBe(plugin.namespace);
    expect(about.capabilities).toEqual(plugin.capabilities);
    expect(Object.keys(about.settings.properties)).toEqual(plugin.settings.map((s) => s.name));
    for (const setting of plugin.settings) {
      const schema = about.settings.properties[setting.name];
      expect(schema.type, setting.name).toBe(JSON_TYPE_OF_KIND[setting.kind]);
      if (setting.kind === "date_iso8601") expect(schema.format, setting.name).toBe("date-time");
      expect(schema.default, setting.name).toEqual(setting.value);
      expect(schema.secret === true, setting.name).toBe(setting.sensitive === true);
      expect(schema.description).toBe(setting.description);
    }
    expect(plugin.settings_group_validation).toEqual([about.settings.required]);
    expect(about.settings.required).toEqual(["store_hash", "access_token", "start_date"]);
    expect(plugin.settings.find((s) => s.name === "access_token")!.sensitive).toBe(true);
  });

  it("selects by default exactly the streams (and their split tables) the tap selects by default", async () => {
    // Apply the select rules the way Meltano does to the real discovered catalog.
    const emulator = await startEmulator({ rateLimit: false, sizes: { orders: 0, customers: 0, products: 0 } });
    const config = writeFile(tempDir(), "config.json", emulatorSettings(emulator));
    const result = await runCli(["--config", config, "--discover"]).finally(() => emulator.close());
    expect(result.code, result.stderr).toBe(0);
    const catalog = JSON.parse(result.stdout) as Catalog;
    const selectedByRules = applySelect(catalog, plugin.select as string[]).streams.filter((s) => rootMetadata(s).selected === true).map((s) => s.tap_stream_id);
    const selectedByDefault = catalog.streams.filter((s) => s.metadata[0].metadata["selected-by-default"] === true).map((s) => s.tap_stream_id);
    expect(selectedByRules).toEqual(selectedByDefault);
    expect(selectedByDefault).toContain("order_products_applied_discounts");
    expect(selectedByRules).not.toContain("transactions");
  });
});

describe("--about --format markdown", () => {
  it("renders a settings table with every setting, its kind, whether required, and its default", async () => {
    const result = await runCli(["--about", "--format", "markdown"]);
    expect(result.code, result.stderr).toBe(0);
    const plugin = parse(readFileSync(join(ROOT, "plugin.yml"), "utf8")) as { settings: YamlSetting[]; settings_group_validation: string[][] };
    const lines = result.stdout.split("\n");
    const header = lines.findIndex((l) => l.startsWith("| setting |"));
    expect(header).toBeGreaterThan(0);
    expect(lines[header + 1]).toMatch(/^\| ---/);
    const rows = lines.slice(header + 2).filter((l) => l.startsWith("| `")).map((l) => l.split(" | ").map((c) => c.replace(/^\| |\s*\|$/g, "")));
    expect(rows.map((r) => r[0])).toEqual(plugin.settings.map((s) => `\`${s.name}\``));
    for (const [cell, kind, required, fallback] of rows) {
      const setting = plugin.settings.find((s) => `\`${s.name}\`` === cell)!;
      expect(required).toBe(plugin.settings_group_validation[0].includes(setting.name) ? "yes" : "no");
      expect(fallback).toBe(setting.value === undefined ? "" : `\`${setting.value}\``);
      expect(kind.includes("(secret)")).toBe(setting.sensitive === true);
    }
    expect(result.stdout).toContain("TAP_BIGCOMMERCE_<SETTING>");
  });

  it("refuses an unknown format with exit 2", async () => {
    const result = await runCli(["--about", "--format", "xml"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/--format/);
  });
});

describe("docs/hosts.md", () => {
  it("gives `meltano add --custom` answers that match plugin.yml", () => {
    const doc = readFileSync(join(ROOT, "docs", "hosts.md"), "utf8");
    const plugin = parse(readFileSync(join(ROOT, "plugin.yml"), "utf8")) as { namespace: string; executable: string; capabilities: string[]; settings: YamlSetting[] };
    const answer = (prompt: string) => new RegExp(`^\\| \`\\(${prompt}\\)\` \\| \`([^\`]+)\``, "m").exec(doc)?.[1];
    expect(answer("namespace")).toBe(plugin.namespace);
    expect(answer("pip_url")).toBe("n");
    expect(answer("executable")).toBe(plugin.executable);
    expect(answer("capabilities")).toBe(plugin.capabilities.join(","));
    // The prompt's kinds: `password` for secrets, nothing for strings.
    const expected = plugin.settings.map((s) => s.sensitive ? `${s.name}:password` : s.kind === "string" ? s.name : `${s.name}:${s.kind}`);
    expect(answer("settings")).toBe(expected.join(","));
  });
});
