/** `--about`: what the plugin is, what it can do and its settings, from the one settings definition. */
import pkg from "../../package.json" with { type: "json" };
import { registry } from "../../streams/index.ts";
import { type Setting, SETTINGS } from "./settings.ts";

/** Singer/Meltano capabilities this tap supports. */
export const CAPABILITIES = ["about", "catalog", "discover", "state"] as const;

/** The plugin's version (package.json). */
export const VERSION: string = pkg.version;

/** The JSON Schema of one setting. */
export function settingJsonSchema(setting: Setting): Record<string, unknown> {
  const schema: Record<string, unknown> = { description: setting.description };
  switch (setting.kind) {
    case "integer":
      schema.type = "integer";
      break;
    case "number":
      schema.type = "number";
      break;
    case "boolean":
      schema.type = "boolean";
      break;
    case "date_iso8601":
      schema.type = "string";
      schema.format = "date-time";
      break;
    case "object":
      schema.type = "object";
      break;
    default:
      schema.type = "string";
  }
  if (setting.value !== undefined) schema.default = setting.value;
  if (setting.min !== undefined) schema.minimum = setting.min;
  if (setting.max !== undefined) schema.maximum = setting.max;
  if (setting.pattern) schema.pattern = setting.pattern;
  if (setting.sensitive) {
    schema.secret = true;
    schema.writeOnly = true;
  }
  return schema;
}

/** `--about --format json`. */
export function aboutJson(): Record<string, unknown> {
  return {
    name: pkg.name,
    namespace: "tap_bigcommerce",
    version: VERSION,
    description: pkg.description,
    capabilities: [...CAPABILITIES],
    settings: {
      type: "object",
      properties: Object.fromEntries(SETTINGS.map((s) => [s.name, settingJsonSchema(s)])),
      required: SETTINGS.filter((s) => s.required).map((s) => s.name),
    },
    streams: registry.map((s) => s.name),
  };
}

/** `--about --format markdown`: a settings table for docs. */
export function aboutMarkdown(): string {
  const escape = (text: string) => text.replaceAll("|", "\\|");
  const lines = [
    `# ${pkg.name} ${VERSION}`,
    "",
    escape(pkg.description),
    "",
    `Capabilities: ${CAPABILITIES.map((c) => `\`${c}\``).join(", ")}`,
    "",
    "## Settings",
    "",
    "| setting | kind | required | default | description |",
    "| --- | --- | --- | --- | --- |",
    ...SETTINGS.map((s) =>
      `| \`${s.name}\` | ${s.kind}${s.sensitive ? " (secret)" : ""} | ${s.required ? "yes" : "no"} | ${s.value === undefined ? "" : `\`${s.value}\``} | ${escape(s.description)} |`
    ),
    "",
    "Every setting can also come from an environment variable `TAP_BIGCOMMERCE_<SETTING>` (upper case).",
    "",
    "## Streams",
    "",
    ...registry.map((s) => `- \`${s.name}\`: ${escape(s.description)}`),
    "",
  ];
  return lines.join("\n");
}
