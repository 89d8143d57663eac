// Every command, with its default settings (the 1,000-resample bootstrap included), on tiny and
// degenerate surveys: n = 1, 2, 5, 10; constant, binary, collinear and half-missing drivers; one
// group; all promoters. Each run must end in exit 0 (and, for JSON, a report that validates against
// the schema and holds no NaN) or exit 2 with a message: never an internal error (exit 70).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ReportSchema } from "../../src/report/report.js";
import { createRandom } from "../../src/stats/random.js";
import { runCli } from "../support/run-cli.js";

const SEED = 20261201;
const dir = mkdtempSync(join(tmpdir(), "loyalty-degenerate-"));
type DriverKind = "rating" | "constant" | "binary" | "collinear" | "half-missing";
const KINDS: DriverKind[] = ["rating", "constant", "binary", "collinear", "half-missing"];

interface Case {
  n: number;
  kinds: DriverKind[];
  groups: number;
  allPromoters: boolean;
}

function write(name: string, c: Case, random: ReturnType<typeof createRandom>): { survey: string; finance: string } {
  const header = ["customer_id", "nps", "region", "response_date", ...c.kinds.map((k, j) => `q${j}_${k.replace("-", "_")}`)];
  const lines = [header.join(",")];
  const finance = ["customer_id,period,revenue,cost"];
  for (let i = 0; i < c.n; i++) {
    const base = random.integer(1, 5);
    const drivers = c.kinds.map((k) =>
      k === "rating" ? random.integer(1, 5) : k === "constant" ? 3 : k === "binary" ? random.integer(0, 1) : k === "collinear" ? base : random.chance(0.5) ? "" : random.integer(1, 5),
    );
    lines.push([`C${i}`, c.allPromoters ? random.integer(9, 10) : random.integer(0, 10), `R${random.integer(1, c.groups)}`, `2025-0${random.integer(1, 6)}-1${random.integer(0, 9)}`, ...drivers].join(","));
    for (let m = 1; m <= random.integer(1, 3); m++) finance.push(`C${i},2025-0${m},${random.integer(0, 500)},${random.integer(0, 100)}`);
  }
  const survey = join(dir, `${name}-survey.csv`);
  const financePath = join(dir, `${name}-finance.csv`);
  writeFileSync(survey, `${lines.join("\n")}\n`);
  writeFileSync(financePath, `${finance.join("\n")}\n`);
  return { survey, finance: financePath };
}

/** The cases: every size with each kind of driver, plus random mixes. */
function cases(random: ReturnType<typeof createRandom>): Case[] {
  const out: Case[] = [];
  for (const n of [1, 2, 5, 10]) {
    for (const kind of KINDS) out.push({ n, kinds: ["rating", kind, "rating"], groups: 1, allPromoters: false });
    out.push({ n, kinds: ["rating", "rating"], groups: 1, allPromoters: true });
    out.push({ n, kinds: [], groups: 2, allPromoters: false });
  }
  for (let i = 0; i < 6; i++) {
    out.push({ n: [5, 10, 20][i % 3]!, kinds: Array.from({ length: random.integer(1, 4) }, () => KINDS[random.integer(0, KINDS.length - 1)]!), groups: random.integer(1, 3), allPromoters: random.chance(0.2) });
  }
  return out;
}

function hasNaN(value: unknown): boolean {
  if (typeof value === "number") return !Number.isFinite(value);
  if (Array.isArray(value)) return value.some(hasNaN);
  if (value && typeof value === "object") return Object.values(value).some(hasNaN);
  return false;
}

describe(`tiny and degenerate surveys, every command with its defaults (seed ${SEED})`, () => {
  const random = createRandom(SEED);
  const all = cases(random).map((c, i) => ({ c, files: write(`case${i}`, c, random) }));
  it.each(all.map(({ c, files }, i) => [i, `n=${c.n} drivers=${c.kinds.join("+") || "none"} groups=${c.groups}${c.allPromoters ? " all promoters" : ""}`, files] as const))(
    "case %i: %s",
    async (_i, _label, files) => {
      const commands: string[][] = [
        ["analyze", "--survey", files.survey, "--format", "json"],
        ["analyze", "--survey", files.survey, "--finance", files.finance, "--format", "json"],
        ["analyze", "--survey", files.survey, "--finance", files.finance, "--by", "region", "--period", "month", "--lag", "1"],
        ["drivers", "--survey", files.survey],
        ["drivers", "--survey", files.survey, "--outcome", "promoter", "--format", "json"],
        ["drivers", "--survey", files.survey, "--missing", "pairwise"],
        ["at-risk", "--survey", files.survey, "--finance", files.finance],
        ["inspect", files.survey, files.finance],
      ];
      for (const args of commands) {
        const result = await runCli(args);
        expect([0, 2], `loyalty ${args.join(" ")} exited ${result.code}: ${result.stderr}`).toContain(result.code);
        expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
        if (result.code === 2) expect(result.stderr).toMatch(/^loyalty: /);
        if (result.code === 0 && args.includes("json") && args[0] !== "inspect") {
          const report = JSON.parse(result.stdout) as unknown;
          expect(hasNaN(report)).toBe(false);
          const parsed = ReportSchema.safeParse(report);
          expect(parsed.success, parsed.success ? "" : JSON.stringify(parsed.error.issues.slice(0, 3))).toBe(true);
        }
      }
    },
    60_000,
  );
});
