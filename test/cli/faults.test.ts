// Faults around the run itself (issue 15), with the built binary: killed while writing --output,
// interrupted, pipes closed early, a full disk, files the user may not read or folders they may
// not write, a bad SOURCE_DATE_EPOCH, and extreme shapes. Nothing half-written, no temporary file
// left, no stack trace, and exit 0 or 2 (130/143 for an interrupt), never 70.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, watch, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createRandom } from "../../src/stats/random.js";
import { runCli } from "../support/run-cli.js";

const bin = fileURLToPath(new URL("../../bin/loyalty.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "loyalty-faults-"));
const env = { ...process.env, NO_COLOR: "1", FORCE_COLOR: "", SOURCE_DATE_EPOCH: "0" };
const run = (args: string[], extra: Record<string, string> = {}) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env: { ...env, ...extra } });

const lines = (n: number, shift: number) => ["customer_id,region,nps,service,price", ...Array.from({ length: n }, (_, i) => `K${i},${["N", "S"][i % 2]},${(i * 7 + shift) % 11},${(i % 5) + 1},${((i * 3) % 5) + 1}`)];
const oldSurvey = join(dir, "old.csv");
const newSurvey = join(dir, "new.csv");
writeFileSync(oldSurvey, `${lines(40, 0).join("\n")}\n`);
writeFileSync(newSurvey, `${lines(120, 3).join("\n")}\n`);
const temporaries = (folder: string) => readdirSync(folder).filter((name) => name.endsWith(".tmp"));

describe("killed while writing --output (SIGKILL at random moments and right after the temporary file appears)", () => {
  it("the target is always the old or the new complete report, and the next run removes the stale temporary files", async () => {
    const folder = join(dir, "kills");
    mkdirSync(folder);
    const target = join(folder, "report.json");
    const args = (survey: string) => [bin, "analyze", "--survey", survey, "--format", "json", "--output", target, "--quiet", "--bootstrap", "0"];
    expect(run(args(oldSurvey).slice(1)).status).toBe(0);
    const oldBytes = readFileSync(target, "utf8");
    expect(run(args(newSurvey).slice(1)).status).toBe(0);
    const newBytes = readFileSync(target, "utf8");
    expect(newBytes).not.toBe(oldBytes);
    writeFileSync(target, oldBytes);
    // the time one run takes, to spread the random kills over it
    const started = Date.now();
    run(args(newSurvey).slice(1));
    const duration = Date.now() - started;
    writeFileSync(target, oldBytes);
    const random = createRandom(151);
    const outcomes = { old: 0, new: 0 };
    for (let kill = 0; kill < 100; kill++) {
      const atTemporary = kill % 2 === 1;
      const child = spawn(process.execPath, args(newSurvey), { env, stdio: "ignore" });
      const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
      if (atTemporary) {
        // kill as soon as a temporary file shows up beside the target
        const watcher = watch(folder, (_event, name) => {
          if (name && name.endsWith(".tmp")) child.kill("SIGKILL");
        });
        await exited;
        watcher.close();
      } else {
        const timer = setTimeout(() => child.kill("SIGKILL"), Math.floor(random.next() * duration * 1.1));
        await exited;
        clearTimeout(timer);
      }
      const bytes = readFileSync(target, "utf8");
      expect([oldBytes, newBytes], `kill ${kill}: the target is neither the old nor the new report`).toContain(bytes);
      if (bytes === newBytes) {
        outcomes.new++;
        writeFileSync(target, oldBytes);
      } else {
        outcomes.old++;
      }
    }
    // the kills fell both before and after the rename
    expect(outcomes.old).toBeGreaterThan(10);
    // a later run removes the temporary files the killed runs left
    expect(run(args(newSurvey).slice(1)).status).toBe(0);
    expect(temporaries(folder)).toEqual([]);
    expect(readFileSync(target, "utf8")).toBe(newBytes);
  }, 240_000);
});

describe("interrupted, pipes and full disks", { timeout: 60_000 }, () => {
  it("SIGTERM and SIGINT while writing leave no temporary file", async () => {
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      const folder = join(dir, `signal-${signal}`);
      mkdirSync(folder);
      const child = spawn(process.execPath, [bin, "analyze", "--survey", newSurvey, "--format", "json", "--output", join(folder, "r.json"), "--bootstrap", "200"], { env, stdio: "ignore" });
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      const watcher = watch(folder, (_event, name) => {
        if (name && name.endsWith(".tmp")) child.kill(signal);
      });
      const code = await exited;
      watcher.close();
      expect(temporaries(folder)).toEqual([]);
      // interrupted before the rename (130/143), or it had finished (0)
      expect([0, signal === "SIGTERM" ? 143 : 130]).toContain(code);
    }
  });
  it("loyalty … --format json 2>&1 | head -c 100 exits 0 every time, with nothing else printed", () => {
    for (let i = 0; i < 6; i++) {
      const result = spawnSync("bash", ["-c", `"${process.execPath}" "${bin}" analyze --survey "${oldSurvey}" --format json 2>&1 | head -c 100 >/dev/null; echo "\${PIPESTATUS[0]}"`], { encoding: "utf8", env });
      expect(result.stdout.trim()).toBe("0");
      expect(result.stderr).toBe("");
    }
  });
  it("> /dev/full is an output error (exit 2) naming standard output, with no stack trace", () => {
    const result = spawnSync("bash", ["-c", `"${process.execPath}" "${bin}" analyze --survey "${oldSurvey}" --bootstrap 0 > /dev/full`], { encoding: "utf8", env });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^loyalty: cannot write standard output: the disk is full; free some space, or write to another disk\n/m);
    expect(result.stderr).not.toMatch(/\n\s+at |Error: ENOSPC/);
  });
});

describe("the environment and the file system", { timeout: 60_000 }, () => {
  it("a bad SOURCE_DATE_EPOCH is a usage error naming the variable", async () => {
    for (const value of ["99999999999999", "yesterday", "-1"]) {
      const result = await runCli(["analyze", "--survey", oldSurvey, "--bootstrap", "0"], { SOURCE_DATE_EPOCH: value });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^loyalty: the environment variable SOURCE_DATE_EPOCH must be whole seconds since 1970/);
    }
  });
  // as root every file is readable: run the binary as "nobody" then (setpriv, util-linux)
  const asNobody = process.getuid?.() === 0 ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : [];
  const canDrop =
    asNobody.length === 0 || spawnSync(asNobody[0]!, [...asNobody.slice(1), process.execPath, "-e", `require("fs").accessSync(${JSON.stringify(bin)})`]).status === 0;
  it.runIf(canDrop)("a file the user may not read, and a folder they may not write to, are errors naming the path (exit 2)", () => {
    const secret = join(dir, "secret.csv");
    writeFileSync(secret, readFileSync(oldSurvey));
    chmodSync(secret, 0o000);
    const readOnly = join(dir, "read-only");
    mkdirSync(readOnly);
    chmodSync(readOnly, 0o555);
    chmodSync(dir, 0o755);
    const as = (args: string[]) => spawnSync(asNobody[0] ?? process.execPath, [...asNobody.slice(1), ...(asNobody.length > 0 ? [process.execPath] : []), bin, ...args], { encoding: "utf8", env });
    const unreadable = as(["analyze", "--survey", secret]);
    expect(unreadable.status).toBe(2);
    expect(unreadable.stderr).toMatch(/secret\.csv: cannot be read: permission denied; ask for read access/);
    chmodSync(oldSurvey, 0o644);
    const unwritable = as(["analyze", "--survey", oldSurvey, "--bootstrap", "0", "--quiet", "--output", join(readOnly, "r.json")]);
    expect(unwritable.status).toBe(2);
    expect(unwritable.stderr).toMatch(/cannot write .*read-only\/r\.json: permission denied; choose a folder you may write to/);
    expect(readdirSync(readOnly)).toEqual([]);
  });
});

describe("a file read after the survey that cannot be read", { timeout: 60_000 }, () => {
  it("is said before the survey's work: before a content error of the survey, the survey's own read error first", () => {
    // a survey whose score cell is a word: with --strict, an error once the survey is read
    const strictSurvey = join(dir, "strict.csv");
    writeFileSync(strictSurvey, `${lines(40, 0).join("\n")}\nK40,N,awful,1,1\n`);
    const missing = join(dir, "no-such-finance.csv");
    const finance = run(["analyze", "--survey", strictSurvey, "--finance", missing, "--strict", "--quiet"]);
    expect(finance.status).toBe(2);
    expect(finance.stderr).toBe(`loyalty: ${missing}: no such file; check the path\n`);
    // the employees file and the benchmarks too, in the order the run would read them
    const employees = run(["analyze", "--survey", strictSurvey, "--by", "region", "--employees", join(dir, "no-such-employees.csv"), "--benchmark", join(dir, "no-such-benchmark.csv"), "--strict", "--quiet"]);
    expect(employees.stderr).toMatch(/no-such-employees\.csv: no such file/);
    // a missing survey is named first
    const survey = run(["analyze", "--survey", join(dir, "no-such-survey.csv"), "--finance", missing, "--quiet"]);
    expect(survey.stderr).toMatch(/no-such-survey\.csv: no such file/);
    // with every file there, the survey's own error
    const content = run(["analyze", "--survey", strictSurvey, "--strict", "--quiet"]);
    expect(content.status).toBe(2);
    expect(content.stderr).toMatch(/strict\.csv:\d+:3: column "nps"/);
  });
});

describe("extreme shapes", { timeout: 120_000 }, () => {
  it("every line with 100,000 columns: no driver model, a warning, exit 0", () => {
    const width = 100_000;
    const header = ["customer_id", "nps", ...Array.from({ length: width - 2 }, (_, i) => `c${i}`)].join(",");
    const rows = Array.from({ length: 4 }, (_, r) => [`K${r}`, String(r * 3), ...Array.from({ length: width - 2 }, (_, i) => String(((r + i) % 5) + 1))].join(","));
    const wide = join(dir, "wide.csv");
    writeFileSync(wide, `${[header, ...rows].join("\n")}\n`);
    const result = run(["analyze", "--survey", wide, "--format", "json"]);
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { drivers: unknown; warnings: { code: string; message: string }[] };
    expect(report.drivers).toBeNull();
    expect(report.warnings.find((w) => w.code === "too-many-drivers")!.message).toMatch(/wide\.csv: 99,998 columns look like ratings, more than the 60 a driver model can take/);
    expect(existsSync(wide)).toBe(true);
  });
});
