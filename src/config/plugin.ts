/**
 * The Meltano Hub-style extractor definition (`plugin.yml`), built from the same sources as
 * `--about`: the settings (settings.ts), the capabilities and package metadata (about.ts,
 * package.json) and the stream registry. Plain data: the YAML text is rendered at generation
 * time (scripts/plugin-yml.ts), so the runtime never needs a YAML library.
 */
import pkg from "../../package.json" with { type: "json" };
import { registry as defaultRegistry } from "../../streams/index.ts";
import { planStream, tablesOf } from "../engine/schema.ts";
import type { StreamDefinition } from "../engine/types.ts";
import { CAPABILITIES } from "./about.ts";
import { type Setting, SETTINGS } from "./settings.ts";

/** One setting as Meltano describes it. */
export interface PluginSetting {
  name: string;
  label: string;
  kind: string;
  description: string;
  sensitive?: true;
  value?: string | number | boolean;
}

/** A Meltano Hub extractor definition. There is no `pip_url`: the tap is a Node executable (see docs/hosts.md). */
export interface PluginDefinition {
  name: string;
  namespace: string;
  variant: string;
  label: string;
  description: string;
  docs: string;
  repo: string;
  executable: string;
  capabilities: string[];
  keywords: string[];
  settings_group_validation: string[][];
  settings: PluginSetting[];
  select: string[];
}

/** The plugin's namespace (Meltano's default `load_schema`, the env var prefix in upper case). */
export const NAMESPACE = "tap_bigcommerce";

/** The repository's web address, from package.json `repository.url`. */
export function repositoryUrl(): string {
  return pkg.repository.url.replace(/^git\+/, "").replace(/\.git$/, "");
}

/**
 * A setting's Meltano kind. Meltano deprecates `kind: password` in favour of
 * `kind: string` with `sensitive: true`.
 */
export function meltanoKind(setting: Setting): string {
  return setting.kind === "password" ? "string" : setting.kind;
}

function pluginSetting(setting: Setting): PluginSetting {
  const out: PluginSetting = {
    name: setting.name,
    label: setting.label,
    kind: meltanoKind(setting),
    description: setting.description,
  };
  if (setting.sensitive) out.sensitive = true;
  if (setting.value !== undefined) out.value = setting.value;
  return out;
}

/** The extractor definition. */
export function pluginDefinition(registry: readonly StreamDefinition[] = defaultRegistry): PluginDefinition {
  const repo = repositoryUrl();
  return {
    name: pkg.name,
    namespace: NAMESPACE,
    variant: new URL(repo).pathname.split("/")[1],
    label: "BigCommerce",
    description: "BigCommerce e-commerce platform: orders, customers, catalog and store data",
    docs: `${repo}/blob/main/docs/hosts.md`,
    repo,
    executable: pkg.name,
    capabilities: [...CAPABILITIES],
    keywords: ["ecommerce", "bigcommerce", "typescript"],
    settings_group_validation: [SETTINGS.filter((s) => s.required).map((s) => s.name)],
    settings: SETTINGS.map(pluginSetting),
    select: defaultSelectRules(registry),
  };
}

/**
 * Meltano `select` rules for the streams selected by default: `<stream>.*`, plus
 * `<stream>_*.*` for the child tables split from its nested arrays (their names start with
 * the stream's), at any `max_nesting_depth`. Meltano deselects every catalog entry that no
 * rule matches.
 */
export function defaultSelectRules(registry: readonly StreamDefinition[] = defaultRegistry): string[] {
  const rules: string[] = [];
  for (const stream of registry.filter((s) => s.selectedByDefault)) {
    rules.push(`${stream.name}.*`);
    const split = tablesOf(planStream(stream, { maxNestingDepth: 10 })).length > 1;
    const clash = registry.some((other) => other !== stream && other.name.startsWith(`${stream.name}_`));
    if (split && clash) throw new Error(`registry: stream ${stream.name}'s split tables would share a prefix with another stream`);
    if (split) rules.push(`${stream.name}_*.*`);
  }
  return rules;
}
