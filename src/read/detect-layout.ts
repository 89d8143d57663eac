/**
 * Survey-tool layouts: how many header rows a file has and what its columns are called.
 * Pure: works on the first records of a file. Knows the shapes of the exports, not NPS.
 *
 * - Qualtrics: three header rows: export tags (Q1, Q2_3), question text, ImportId JSON; the legacy
 *   export has two: V1, V2… (then the question ids) and the labels (ResponseID … Finished, question text).
 * - SurveyMonkey: two header rows: question text (blank over a question's later columns) and
 *   the sub-answer ("Response", "Open-Ended Response", or a choice or matrix row label).
 * - Google Forms: one header row starting with Timestamp; Typeform: one header row starting with #.
 */

export type Layout = "plain" | "qualtrics" | "surveymonkey" | "google-forms" | "typeform";

export const LAYOUTS: readonly Layout[] = ["plain", "qualtrics", "surveymonkey", "google-forms", "typeform"];

export interface HeaderLayout {
  layout: Layout;
  /** Header rows before the data (1, 2 or 3). */
  headerRows: number;
  /** Column names used for roles and in the report. */
  names: string[];
  /** The question text of each column where the export has it (else the name). */
  labels: string[];
  /** Header names that occur more than once (renamed "X (2)", "X (3)"… in `names`). */
  duplicates: string[];
}

const IMPORT_ID = /^\s*\{\s*"ImportId"\s*:/;

/** Google Forms' first column in English and the Nordic languages. */
const TIMESTAMP = new Set(["timestamp", "tidstampel", "tidsstampel", "tidsstempel", "aikaleima"]);

function folded(text: string): string {
  return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
}

function isQualtrics(rows: readonly (readonly string[])[]): boolean {
  const third = rows[2];
  return third !== undefined && third.filter((cell) => IMPORT_ID.test(cell)).length >= Math.max(1, third.length / 2);
}

/**
 * A legacy Qualtrics export: the first row is V1, V2, V3… (then the question ids), the second the
 * labels (ResponseID, ResponseSet, …, Finished, then the question texts); no ImportId row.
 */
function isLegacyQualtrics(rows: readonly (readonly string[])[]): boolean {
  const first = (rows[0] ?? []).map((c) => c.replace(/^\uFEFF/, "").trim());
  const second = (rows[1] ?? []).map((c) => c.trim().toLowerCase());
  return first[0] === "V1" && first[1] === "V2" && first[2] === "V3" && (second.includes("responseid") || second.includes("response id")) && !isQualtrics(rows);
}

function isSurveyMonkey(rows: readonly (readonly string[])[]): boolean {
  const [first, second] = rows;
  if (!first || !second) return false;
  const names = first.map((c) => c.trim().toLowerCase());
  const answers = second.map((c) => c.trim().toLowerCase());
  return names.includes("respondent id") && answers.some((c) => c === "response" || c === "open-ended response");
}

/** Makes names unique by appending " (2)", " (3)"… to repeats (exports can repeat question titles). */
function repeated(names: readonly string[]): string[] {
  // one pass with a set: indexOf per name was quadratic (12 s at 100,000 columns)
  const seen = new Set<string>();
  const repeats = new Set<string>();
  for (const name of names) {
    if (name === "") continue;
    if (seen.has(name)) repeats.add(name);
    else seen.add(name);
  }
  return [...repeats];
}

function unique(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name} (${count})`;
  });
}

/**
 * The layout of a file from its first records (at least three when the file has them).
 * @param forced a layout named by --layout
 */
export function detectLayout(rows: readonly (readonly string[])[], forced?: Layout): HeaderLayout {
  const first = (rows[0] ?? []).map((c) => c.replace(/^\uFEFF/, "").trim());
  const layout = forced ?? (isQualtrics(rows) || isLegacyQualtrics(rows) ? "qualtrics" : isSurveyMonkey(rows) ? "surveymonkey" : TIMESTAMP.has(folded(first[0] ?? "")) ? "google-forms" : first[0] === "#" ? "typeform" : "plain");
  if (layout === "qualtrics" && isLegacyQualtrics(rows)) {
    // the V-columns are named by their labels (ResponseID, Status, Finished…); questions keep their ids
    const labels = (rows[1] ?? []).map((c) => c.trim());
    const names = first.map((name, i) => (/^V\d+$/.test(name) && labels[i] ? labels[i]! : name));
    return { layout, headerRows: 2, names: unique(names), labels: names.map((name, i) => labels[i] || name), duplicates: repeated(names) };
  }
  if (layout === "qualtrics") {
    const labels = (rows[1] ?? []).map((c) => c.trim());
    return { layout, headerRows: 3, names: unique(first), labels: first.map((name, i) => labels[i] || name), duplicates: repeated(first) };
  }
  if (layout === "surveymonkey") {
    const second = (rows[1] ?? []).map((c) => c.trim());
    let question = "";
    const questions = first.map((cell) => (cell !== "" ? (question = cell) : question));
    // a question whose answers span several columns (a matrix or multiple choice) names its columns by their labels
    const spans = new Map<string, number>();
    questions.forEach((q) => spans.set(q, (spans.get(q) ?? 0) + 1));
    const names = questions.map((q, i) => {
      const answer = second[i] ?? "";
      if (answer === "" || answer.toLowerCase() === "response") return q;
      if (answer.toLowerCase() === "open-ended response") return `${q} (open-ended)`;
      return spans.get(q)! > 1 ? answer : `${q} - ${answer}`;
    });
    return { layout, headerRows: 2, names: unique(names), labels: questions.map((q, i) => (second[i] && second[i]!.toLowerCase() !== "response" ? `${q} - ${second[i]}` : q)), duplicates: repeated(names) };
  }
  return { layout, headerRows: 1, names: unique(first), labels: first, duplicates: repeated(first) };
}
