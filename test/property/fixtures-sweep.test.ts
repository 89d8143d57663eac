// No command exits 70 on any committed fixture: every file under fixtures/ is inspected and
// analysed as a survey (with the defaults, bootstrap included), alone and with a finance file, and
// given to init; each run ends in exit 0 or 2 with a message, never an internal error.
import { mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixturePath } from "../support/fixtures.js";
import { runCli } from "../support/run-cli.js";

const root = fixturePath("");
const files = readdirSync(root)
  .flatMap((folder) => (statSync(join(root, folder)).isDirectory() ? readdirSync(join(root, folder)).map((name) => join(root, folder, name)) : []))
  .filter((path) => !/\.(R|md|json)$/.test(path))
  .sort();
const out = mkdtempSync(join(tmpdir(), "loyalty-sweep-"));

describe("every fixture, every command: exit 0 or 2, never 70", () => {
  it.each(files.map((path) => [path.slice(root.length), path]))(
    "%s",
    async (_name, path) => {
      const commands = [
        ["inspect", path],
        ["analyze", "--survey", path],
        ["analyze", "--survey", path, "--finance", fixturePath("reference", "nordic-finance.csv"), "--format", "json"],
        ["analyze", "--survey", fixturePath("reference", "nordic-survey.csv"), "--finance", path, "--bootstrap", "50"],
        ["init", "--survey", path, "--output", join(out, `${path.replace(/\W/g, "_")}.json`), "--force"],
      ];
      for (const args of commands) {
        const result = await runCli(args);
        expect([0, 2], `loyalty ${args.join(" ")} exited ${result.code}: ${result.stderr}`).toContain(result.code);
        expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
      }
    },
    120_000,
  );
});
