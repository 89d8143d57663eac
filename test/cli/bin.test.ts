import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// These run the built bin (npm test builds first; npm ci builds in `prepare`).
const bin = fileURLToPath(new URL("../../bin/loyalty.js", import.meta.url));
const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "", ...env } });

// each spawns the built CLI on the full demo (2,000 customers, bootstraps per region): give it time
describe("the built loyalty binary", { timeout: 60_000 }, () => {
  it("runs the demo and exits 0", () => {
    const result = run(["demo", "--format", "json"], { SOURCE_DATE_EPOCH: "0" });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).generatedAt).toBe("1970-01-01T00:00:00.000Z");
  });
  it("exits 2 on bad input without a stack trace", () => {
    const result = run(["analyze", "--survey", "does-not-exist.csv"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("loyalty: does-not-exist.csv: no such file; check the path\n");
  });
  it("exits 0 with nothing on stderr when the reader closes the pipe early (loyalty … | head -1)", () => {
    const result = spawnSync("bash", ["-c", `"${process.execPath}" "${bin}" demo --format json --quiet | head -c 100 >/dev/null; echo "\${PIPESTATUS[0]}"`], {
      encoding: "utf8",
    });
    expect(result.stdout.trim()).toBe("0");
    expect(result.stderr).toBe("");
  });
});
