/**
 * Writes the generated docs: docs/streams.md from the registry, docs/settings.md from the settings,
 * plugin.yml (Meltano extractor definition) from the settings, capabilities and registry, and the
 * column-types section of docs/duckdb.md from the override table. Run: npm run docs
 */
import { readFileSync, writeFileSync } from "node:fs";
import { streamsMarkdown } from "../src/docs/streams-doc.ts";
import { withColumnTypes } from "../src/docs/column-types-doc.ts";
import { aboutMarkdown } from "../src/config/about.ts";
import { pluginYaml } from "./plugin-yml.ts";

writeFileSync(new URL("../docs/streams.md", import.meta.url), streamsMarkdown());
writeFileSync(new URL("../docs/settings.md", import.meta.url), aboutMarkdown());
writeFileSync(new URL("../plugin.yml", import.meta.url), pluginYaml());
const duckdbDoc = new URL("../docs/duckdb.md", import.meta.url);
writeFileSync(duckdbDoc, withColumnTypes(readFileSync(duckdbDoc, "utf8")));
console.log("wrote docs/streams.md, docs/settings.md, plugin.yml, the column types of docs/duckdb.md");
