/**
 * Which column plays which role: from flags (the user's word wins) or detected by header
 * name, in English and the Nordic languages. Pure: works on the header and, for drivers,
 * on values already read.
 */
import { InputError } from "../errors.js";

/** A resolved column: its header name, 0-based index, and whether it was detected rather than named. */
export interface ColumnRef {
  name: string;
  index: number;
  detected: boolean;
}

export interface SurveyColumnFlags {
  customerId?: string | undefined;
  score?: string | undefined;
  date?: string | undefined;
  by?: string | undefined;
  drivers?: string[] | undefined;
  weight?: string | undefined;
  /** A numeric column to explain instead of the score (drivers only). */
  outcome?: string | undefined;
}

export interface FinanceColumnFlags {
  customerId?: string | undefined;
  period?: string | undefined;
  revenue?: string | undefined;
  cost?: string | undefined;
  /** The group column (--finance-group); default: the survey's group column's name, if the finance file has it. */
  group?: string | undefined;
  /** A branch P&L's customer count per group and period (--customers). */
  customers?: string | undefined;
}

export interface SurveyColumns {
  customerId: ColumnRef | null;
  score: ColumnRef;
  date: ColumnRef | null;
  group: ColumnRef | null;
  weight: ColumnRef | null;
  outcome: ColumnRef | null;
  /** Filled in by `detectDrivers` once values are known, unless named by flag. */
  drivers: ColumnRef[];
}

export interface FinanceColumns {
  /** null for a finance file per group (a branch P&L). */
  customerId: ColumnRef | null;
  period: ColumnRef | null;
  revenue: ColumnRef;
  cost: ColumnRef | null;
  /** The customer's group (customer rows), or the row's group (a branch P&L). */
  group: ColumnRef | null;
  /** A branch P&L's customers per group and period. */
  customers: ColumnRef | null;
}

/**
 * A header name reduced for matching: lower case, accents and Nordic letters folded
 * (å ä → a, ö ø → o, æ → ae), punctuation and underscores as single spaces.
 * @example normaliseHeader(" Intäkt_SEK ") // => "intakt sek"
 */
export function normaliseHeader(name: string): string {
  return name
    .toLowerCase()
    .replace(/æ/g, "ae")
    .replace(/ø/g, "o")
    .replace(/ß/g, "ss")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/** Header names per role, most specific first; matched after `normaliseHeader`. */
export const ROLE_NAMES = {
  customerId: [
    "customer id", "customerid", "customer number", "customer no", "customer nr", "customer", "client id", "account id",
    "kund id", "kundid", "kundnummer", "kundnr", "kund", "kunde id", "kundenummer", "kundenr", "kunde", "asiakasnumero", "asiakas",
  ],
  score: ["nps", "nps score", "score", "ltr", "likelihood to recommend", "recommend", "rekommendation"],
  date: [
    "response date", "responsedate", "recorded date", "recordeddate", "submitted at", "submit date", "submit date utc", "end date", "enddate",
    "date", "timestamp", "tidstampel", "tidsstampel", "tidsstempel", "aikaleima",
    "svarsdatum", "datum", "dato", "paivamaara",
  ],
  group: ["region", "segment", "group", "branch", "team", "store", "office", "avdelning", "filial", "butik", "kontor", "alue"],
  weight: ["weight", "vikt", "vekt", "vaegt", "paino"],
  revenue: [
    "revenue", "net revenue", "sales", "turnover", "intakt", "intakter", "omsattning", "inntekt", "inntekter", "omsaetning", "liikevaihto",
  ],
  cost: ["cost", "costs", "cost of sales", "kostnad", "kostnader", "omkostninger", "udgifter", "kustannus", "kustannukset"],
  period: ["period", "month", "periode", "manad", "maned", "kausi", "kuukausi"],
  customers: ["customers", "customer count", "number of customers", "active customers", "kunder", "antal kunder", "antall kunder", "asiakkaat", "asiakasmaara"],
} as const;

/** Header words that say "this is the recommendation question" even in a long question text. */
const SCORE_PHRASES = ["recommend", "rekommend", "anbefal", "suosittel"];

type Role = keyof typeof ROLE_NAMES;

function columnList(header: readonly string[]): string {
  return header.map((name) => (name === "" ? '""' : name)).join(", ");
}

/** The column a flag names: exact header first, then a unique case- and accent-insensitive match. */
export function findNamedColumn(header: readonly string[], wanted: string, flag: string, file: string): ColumnRef {
  const exact = header.indexOf(wanted);
  if (exact !== -1) return { name: header[exact]!, index: exact, detected: false };
  const key = normaliseHeader(wanted);
  const matches = header.map((name, index) => ({ name, index })).filter((c) => normaliseHeader(c.name) === key);
  if (matches.length === 1) return { ...matches[0]!, detected: false };
  if (matches.length > 1) {
    throw new InputError({ file }, `column "${wanted}" (from ${flag}) matches ${matches.length} columns: ${matches.map((m) => m.name).join(", ")}`, {
      hint: `pass the exact header name to ${flag}`,
    });
  }
  throw new InputError({ file }, `no column "${wanted}" (from ${flag}); columns are: ${columnList(header)}`, {
    hint: `pass one of these names to ${flag}`,
  });
}

function detect(header: readonly string[], role: Role, file: string): ColumnRef | null {
  const normalised = header.map(normaliseHeader);
  for (const candidate of ROLE_NAMES[role]) {
    const indices = normalised.flatMap((name, index) => (name === candidate ? [index] : []));
    if (indices.length > 1) {
      throw new InputError({ file }, `${indices.length} columns could be the ${role} column: ${indices.map((i) => header[i]).join(", ")}`, {
        hint: `name the one to use with --${role === "customerId" ? "customer-id" : role}`,
      });
    }
    if (indices.length === 1) return { name: header[indices[0]!]!, index: indices[0]!, detected: true };
  }
  return null;
}

function detectScore(header: readonly string[], file: string): ColumnRef | null {
  const byName = detect(header, "score", file);
  if (byName) return byName;
  const normalised = header.map(normaliseHeader);
  const phrase = normalised.findIndex((name) => SCORE_PHRASES.some((p) => name.includes(p)) && !name.includes("group"));
  return phrase === -1 ? null : { name: header[phrase]!, index: phrase, detected: true };
}

/** The score column from the question text (a Qualtrics export names it Q1, its label asks "how likely…recommend"). */
function detectScoreByLabel(header: readonly string[], labels: readonly string[]): ColumnRef | null {
  const index = labels.findIndex((label, i) => label !== header[i] && SCORE_PHRASES.some((p) => normaliseHeader(label).includes(p)) && !/group/i.test(header[i]!));
  return index === -1 ? null : { name: header[index]!, index, detected: true };
}

function missingRole(file: string, role: string, flag: string, header: readonly string[]): InputError {
  const looked = ROLE_NAMES[role as Role]?.slice(0, 4).join(", ");
  return new InputError({ file }, `no ${role} column found (looked for ${looked}, …); columns are: ${columnList(header)}`, {
    hint: `name it with ${flag} COLUMN`,
  });
}

/** Resolves the survey's role columns (all but drivers, which need the values). */
export function resolveSurveyColumns(header: readonly string[], flags: SurveyColumnFlags, file: string, labels: readonly string[] = header): SurveyColumns {
  const named = (wanted: string | undefined, flag: string) => (wanted === undefined ? undefined : findNamedColumn(header, wanted, flag, file));
  const score = named(flags.score, "--score") ?? detectScore(header, file) ?? detectScoreByLabel(header, labels);
  if (!score) throw missingRole(file, "score", "--score", header);
  const columns: SurveyColumns = {
    customerId: named(flags.customerId, "--customer-id") ?? detect(header, "customerId", file),
    score,
    date: named(flags.date, "--date") ?? detect(header, "date", file),
    group: named(flags.by, "--by") ?? detect(header, "group", file),
    weight: named(flags.weight, "--weight") ?? null,
    outcome: named(flags.outcome, "--outcome") ?? null,
    drivers: (flags.drivers ?? []).map((name) => findNamedColumn(header, name, "--drivers", file)),
  };
  const roles = [columns.customerId, columns.score, columns.date, columns.group, columns.weight, columns.outcome].filter((c): c is ColumnRef => c !== null);
  for (const driver of columns.drivers) {
    const clash = roles.find((role) => role.index === driver.index);
    if (clash) throw new InputError({ file }, `column "${driver.name}" cannot be both a driver and another role`, { hint: "leave it out of --drivers" });
  }
  return columns;
}

/**
 * Resolves the finance file's columns. Without a customer id column, a group column (the survey's
 * group column's name, --finance-group, or a detected branch/region column) makes it a finance
 * file per group: a branch P&L.
 * @param surveyGroup the survey's group column name, looked for in the finance file too
 */
export function resolveFinanceColumns(header: readonly string[], flags: FinanceColumnFlags, file: string, surveyGroup?: string): FinanceColumns {
  const named = (wanted: string | undefined, flag: string) => (wanted === undefined ? undefined : findNamedColumn(header, wanted, flag, file));
  const sameAsSurvey = surveyGroup === undefined ? null : header.findIndex((name) => normaliseHeader(name) === normaliseHeader(surveyGroup));
  const group =
    named(flags.group, "--finance-group") ??
    (sameAsSurvey !== null && sameAsSurvey !== -1 ? { name: header[sameAsSurvey]!, index: sameAsSurvey, detected: true } : null);
  const customerId = named(flags.customerId, "--finance-customer-id") ?? detect(header, "customerId", file);
  const groupOnly = customerId ? null : (group ?? detect(header, "group", file));
  if (!customerId && !groupOnly) throw missingRole(file, "customerId", "--finance-customer-id (or, for a finance file per group, --finance-group)", header);
  const revenue = named(flags.revenue, "--revenue") ?? detect(header, "revenue", file);
  if (!revenue) throw missingRole(file, "revenue", "--revenue", header);
  return {
    customerId,
    period: named(flags.period, "--period-column") ?? detect(header, "period", file),
    revenue,
    cost: named(flags.cost, "--cost") ?? detect(header, "cost", file),
    group: customerId ? group : groupOnly,
    customers: customerId ? null : (named(flags.customers, "--customers") ?? detect(header, "customers", file)),
  };
}

/** Survey-tool bookkeeping columns (Qualtrics, SurveyMonkey, Typeform), never drivers. */
const METADATA = new Set([
  "startdate", "start date", "enddate", "end date", "status", "ipaddress", "ip address", "progress", "duration in seconds", "finished",
  "recordeddate", "recorded date", "responseid", "response id", "recipientlastname", "recipientfirstname", "recipientemail",
  "externalreference", "externaldatareference", "locationlatitude", "locationlongitude", "distributionchannel", "userlanguage",
  "respondent id", "collector id", "email address", "first name", "last name", "custom data 1", "network id", "response type",
]);

/** Header names that mark identifiers and bookkeeping, never drivers. */
function looksLikeIdentifier(name: string): boolean {
  const normalised = normaliseHeader(name);
  if (METADATA.has(normalised) || /nps group$/.test(normalised)) return true;
  const words = normalised.split(" ");
  return words.some((w) => ["id", "nr", "no", "number", "uuid", "token", "index"].includes(w)) || /id$/.test(words.join(""));
}

/**
 * The default drivers: the columns that are not another role, whose header does not mark an
 * identifier, and whose non-blank values are all whole numbers from 0 to 100 with at least
 * two distinct values (rating scales such as 1-5, 1-7, 0-10, 1-10, 0-100).
 * @param values the column's cells, in row order
 */
export function detectDrivers(header: readonly string[], roles: readonly (ColumnRef | null)[], column: (index: number) => Iterable<string>, parse: (text: string) => number | null): ColumnRef[] {
  const taken = new Set(roles.filter((r): r is ColumnRef => r !== null).map((r) => r.index));
  const drivers: ColumnRef[] = [];
  header.forEach((name, index) => {
    if (taken.has(index) || name === "" || looksLikeIdentifier(name)) return;
    const distinct = new Set<number>();
    for (const text of column(index)) {
      if (isMissing(text)) continue;
      const value = parse(text);
      if (value === null || !Number.isInteger(value) || value < 0 || value > 100) return;
      distinct.add(value);
    }
    if (distinct.size >= 2) drivers.push({ name, index, detected: true });
  });
  return drivers;
}

/** Texts that mean "not answered". */
export function isMissing(text: string): boolean {
  const s = text.trim();
  return s === "" || /^(na|n\/a|#n\/a|null|-)$/i.test(s);
}
