/**
 * Help through the real command line: every command (and Singer mode) answers `--help` with
 * exit 0, every flag of its table and an example; `help` and `help COMMAND` print the same.
 */
import { describe, expect, it } from "vitest";
import { COMMAND_SPECS, type CommandSpec, SINGER } from "../../src/commands/specs.ts";
import { runCli } from "../support/cli.ts";

/** The commands the README and CONTRACT.md promise; the table must cover each. */
const PROMISED = ["load", "check", "export", "report", "emulator", "demo", "sql", "help"];

function expectFullHelp(spec: CommandSpec, stdout: string): void {
  for (const [name, flag] of Object.entries(spec.flags)) {
    expect(stdout, `--${name}`).toContain(`--${name}${flag.value ? ` ${flag.value}` : ""}`);
    expect(stdout).toContain(flag.help);
  }
  expect(stdout).toMatch(/Examples?:\n {2}tap-bigcommerce /);
  for (const example of spec.examples) expect(stdout).toContain(`tap-bigcommerce ${example}`);
}

describe("--help", () => {
  it("the command table covers every promised command", () => {
    expect(COMMAND_SPECS.map((s) => s.name).sort()).toEqual([...PROMISED].sort());
  });

  for (const spec of COMMAND_SPECS) {
    it.concurrent(`${spec.name} --help and help ${spec.name}: exit 0, every flag, an example`, async () => {
      const [flag, viaHelp] = await Promise.all([runCli([spec.name, "--help"]), runCli(["help", spec.name])]);
      expect(flag.code, flag.stderr).toBe(0);
      expect(flag.stderr).toBe("");
      expect(flag.stdout).toContain(`Usage: tap-bigcommerce ${spec.usage}`);
      expectFullHelp(spec, flag.stdout);
      expect(viaHelp.code).toBe(0);
      expect(viaHelp.stdout).toBe(flag.stdout);
    });
  }

  it.concurrent("Singer mode: --help and help singer list its flags; help and --help list every command", async () => {
    const [flag, viaHelp, overview] = await Promise.all([runCli(["--help"]), runCli(["help", "singer"]), runCli(["help"])]);
    expect(flag.code, flag.stderr).toBe(0);
    expectFullHelp(SINGER, flag.stdout);
    expect(viaHelp.code).toBe(0);
    expectFullHelp(SINGER, viaHelp.stdout);
    expect(overview.stdout).toBe(flag.stdout);
    for (const spec of COMMAND_SPECS) expect(overview.stdout).toMatch(new RegExp(`^  ${spec.name} +${spec.summary.replace(/[{}().*+?[\]|\\]/g, "\\$&")}$`, "m"));
  });

  it.concurrent("-h is --help, and wins over other flags, even bad ones", async () => {
    const result = await runCli(["load", "--bogus", "-h"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("Usage: tap-bigcommerce load");
  });
});
