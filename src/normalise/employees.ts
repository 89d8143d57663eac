/**
 * Employee engagement rows → one value per group: either an eNPS computed from individual 0-10
 * answers ("How likely are you to recommend us as a place to work?"), or an eNPS or engagement
 * index already given per group (and period, pooled by averaging). Reject accounting as for the
 * other inputs.
 */
import { InputError } from "../errors.js";
import { addToNpsTally, emptyNpsTally, npsSummary, type NpsTally } from "../metrics/nps.js";
import type { CsvRecord } from "../read/read-csv.js";
import { MAX_MAGNITUDE, parseNumber, type DecimalMark } from "../read/parse-number.js";
import { cellOf, emptyAccount, isBlankRecord, recordExclusion, recordReject, rejectAt, type InputAccount } from "./accounting.js";
import { quoteValue } from "./coerce.js";
import { findByNames, findNamedColumn, isMissing, normaliseHeader, type ColumnRef } from "./column-roles.js";

export interface EmployeeFlags {
  /** --employee-group; default: the survey's group column's name, then a detected group column. */
  group?: string | undefined;
  /** --employee-score; default: a detected enps / engagement / score column. */
  score?: string | undefined;
}

export interface EmployeeGroup {
  group: string;
  /** Rows behind the value (respondents, or periods of a per-group file). */
  rows: number;
  /** eNPS in points (−100…100) or the engagement index as given. */
  value: number;
}

export interface EmployeeData {
  file: string;
  columns: { group: ColumnRef; score: ColumnRef };
  /** "respondents": one 0-10 answer per row, eNPS computed; "groups": a value per group given. */
  mode: "respondents" | "groups";
  /** What the value is: eNPS (points) or an engagement index on the file's own scale. */
  measure: "enps" | "engagement";
  groups: EmployeeGroup[];
  account: InputAccount;
}

const SCORE_NAMES = ["enps", "employee nps", "e nps", "engagement", "engagement score", "engagement index", "engagemang", "engasjement", "score", "nps", "recommend"];
const GROUP_NAMES = ["group", "branch", "team", "region", "segment", "store", "office", "department", "avdelning", "avdeling", "filial", "butik", "kontor", "alue"];


/**
 * Loads an employee file.
 * @throws {InputError} when the group or score column cannot be found
 */
export function loadEmployees(
  file: string,
  header: readonly string[],
  records: readonly CsvRecord[],
  flags: EmployeeFlags,
  decimal: DecimalMark,
  surveyGroup: string | undefined,
  groupOrder: (a: string, b: string) => number,
): EmployeeData {
  const columnList = header.join(", ");
  const group =
    (flags.group ? findNamedColumn(header, flags.group, "--employee-group", file) : null) ??
    (surveyGroup ? findByNames(header, [normaliseHeader(surveyGroup)]) : null) ??
    findByNames(header, GROUP_NAMES);
  if (!group) throw new InputError({ file }, `no group column found (looked for ${surveyGroup ? `"${surveyGroup}", ` : ""}${GROUP_NAMES.slice(0, 4).join(", ")}, …); columns are: ${columnList}`, { hint: "name it with --employee-group COLUMN" });
  const score = (flags.score ? findNamedColumn(header, flags.score, "--employee-score", file) : null) ?? findByNames(header, SCORE_NAMES);
  if (!score) throw new InputError({ file }, `no eNPS or engagement column found (looked for ${SCORE_NAMES.slice(0, 5).join(", ")}, …); columns are: ${columnList}`, { hint: "name it with --employee-score COLUMN" });

  const account = emptyAccount();
  const values: { group: string; value: number }[] = [];
  for (const record of records) {
    account.rowsRead += 1;
    if (isBlankRecord(record)) {
      recordExclusion(account, "every field is blank (a delimiter-only row)");
      continue;
    }
    const name = cellOf(record, group).trim();
    if (name === "" || isMissing(name)) {
      recordReject(account, rejectAt(record, group, "the group is blank"));
      continue;
    }
    const text = cellOf(record, score);
    if (isMissing(text)) {
      recordExclusion(account, "the engagement answer is blank");
      continue;
    }
    const value = parseNumber(text, decimal);
    if (value === null || Math.abs(value) > MAX_MAGNITUDE) {
      recordReject(account, rejectAt(record, score, `expected a number${value === null ? "" : " of at most 1e15 in size"}, got ${quoteValue(text)}`));
      continue;
    }
    account.rowsAccepted += 1;
    values.push({ group: name, value });
  }
  const rowsPerGroup = new Map<string, number>();
  for (const v of values) rowsPerGroup.set(v.group, (rowsPerGroup.get(v.group) ?? 0) + 1);
  const zeroToTen = values.length > 0 && values.every((v) => Number.isInteger(v.value) && v.value >= 0 && v.value <= 10);
  // 0-10 answers with several rows for a group are individual answers; a value per group is anything else
  const individual = zeroToTen && [...rowsPerGroup.values()].some((n) => n > 1);
  const names = [...rowsPerGroup.keys()].sort(groupOrder);
  let groups: EmployeeGroup[];
  if (individual) {
    const tallies = new Map<string, NpsTally>();
    for (const v of values) {
      let tally = tallies.get(v.group);
      if (!tally) tallies.set(v.group, (tally = emptyNpsTally()));
      addToNpsTally(tally, v.value);
    }
    groups = names.map((name) => ({ group: name, rows: rowsPerGroup.get(name)!, value: npsSummary(tallies.get(name)!).nps }));
  } else {
    const sums = new Map<string, number>();
    for (const v of values) sums.set(v.group, (sums.get(v.group) ?? 0) + v.value);
    groups = names.map((name) => ({ group: name, rows: rowsPerGroup.get(name)!, value: sums.get(name)! / rowsPerGroup.get(name)! }));
  }
  const named = normaliseHeader(score.name);
  const measure = individual || named.includes("enps") || named.includes("nps") ? "enps" : "engagement";
  return { file, columns: { group, score }, mode: individual ? "respondents" : "groups", measure, groups, account };
}
