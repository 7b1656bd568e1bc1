/** Writes the generated docs: docs/streams.md from the registry, docs/settings.md from the settings. Run: npm run docs */
import { writeFileSync } from "node:fs";
import { streamsMarkdown } from "../src/docs/streams-doc.ts";
import { aboutMarkdown } from "../src/config/about.ts";

writeFileSync(new URL("../docs/streams.md", import.meta.url), streamsMarkdown());
writeFileSync(new URL("../docs/settings.md", import.meta.url), aboutMarkdown());
console.log("wrote docs/streams.md, docs/settings.md");
