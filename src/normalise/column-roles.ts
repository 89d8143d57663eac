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
  /** The free-text comment column (--comment); default: detected by header. */
  comment?: string | undefined;
  /** Who owns the customer interaction: agent, store, account manager, team (--owner); default: detected by header. */
  owner?: string | undefined;
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
  /** The free-text comment: never a driver or a group. */
  comment: ColumnRef | null;
  /** The owner of the interaction (feedback per owner). */
  owner: ColumnRef | null;
  /** Filled in by `classifyDriverColumns` (normalise/driver-columns.ts) once values are known, unless named by flag. */
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
    "customer id", "customerid", "customer number", "customer no", "customer nr", "customer", "client id", "clientid", "account id", "accountid",
    "member id", "user id", "userid", "customer unique id", "customer key",
    "kund id", "kundid", "kundnummer", "kundnr", "kund", "kunde id", "kundenummer", "kundenr", "kunde", "asiakasnumero", "asiakas",
    // survey tools' fields for the id a distribution carried: Qualtrics (and its legacy export), SurveyMonkey
    "externalreference", "external reference", "externaldatareference", "external data reference", "custom data 1", "custom data",
  ],
  score: ["nps", "nps score", "score", "ltr", "likelihood to recommend", "recommend", "rekommendation", "review score", "satisfaction score", "csat", "csat score"],
  date: [
    "response date", "responsedate", "recorded date", "recordeddate", "submitted at", "submit date", "submit date utc", "end date", "enddate",
    "date", "timestamp", "tidstampel", "tidsstampel", "tidsstempel", "aikaleima",
    "svarsdatum", "datum", "dato", "paivamaara",
  ],
  group: [
    "region", "segment", "group", "branch", "team", "store", "office", "avdelning", "filial", "butik", "kontor", "alue",
    "city", "state", "country", "province", "county", "district", "area", "market", "stad", "ort", "kommun", "lan", "fylke", "kunta", "maakunta",
  ],
  weight: ["weight", "vikt", "vekt", "vaegt", "paino"],
  revenue: [
    "revenue", "net revenue", "total revenue", "sales", "net sales", "turnover", "payment value", "order value", "amount",
    "intakt", "intakter", "omsattning", "inntekt", "inntekter", "omsaetning", "liikevaihto",
  ],
  cost: ["cost", "costs", "cost of sales", "kostnad", "kostnader", "omkostninger", "udgifter", "kustannus", "kustannukset"],
  period: ["period", "month", "periode", "manad", "maned", "kausi", "kuukausi"],
  comment: [
    "comment", "comments", "kommentar", "kommentarer", "kommentaar", "kommentti", "kommentit", "feedback", "open text", "open feedback", "verbatim",
    "fritext", "free text", "why", "reason", "reason for score", "anything else", "other comments", "additional comments", "tell us why",
  ],
  owner: [
    "owner", "agent", "agent name", "account manager", "account owner", "key account manager", "kam", "advisor", "adviser", "consultant", "salesperson",
    "sales rep", "sales representative", "seller", "handler", "case owner", "kundansvarig", "saljare", "handlaggare", "radgivare", "radgiver", "selger",
    "saelger", "konsulent", "myyja", "neuvoja", "vastuuhenkilo",
  ],
  customers: ["customers", "customer count", "number of customers", "active customers", "kunder", "antal kunder", "antall kunder", "asiakkaat", "asiakasmaara"],
} as const;

/**
 * Word parts that find a role in a longer header ("Total Revenue", "review_score",
 * "customer_state", "review_answer_timestamp"), tried after the exact names: a header is a
 * candidate when its words hold one of `parts` as whole words and none of `not`; among several,
 * those with a `prefer` word win, then those that end with the part. Still several: ambiguous.
 */
const ROLE_PARTS: Partial<Record<keyof typeof ROLE_NAMES, { parts: string[]; not?: string[]; prefer?: string[]; all?: string[][]; lastWord?: boolean }>> = {
  customerId: {
    parts: [],
    all: [["customer", "id"], ["customer", "number"], ["customer", "nr"], ["client", "id"], ["account", "id"], ["member", "id"], ["kund", "id"], ["kund", "nr"], ["kunde", "id"]],
    not: ["count", "customers", "manager", "owner", "agent", "employee", "order", "transaction", "invoice", "response", "survey", "review", "session"],
  },
  score: { parts: ["score", "nps"], not: ["enps", "employee", "engagement", "churn", "cltv", "ltv", "credit", "risk", "propensity", "health", "lead", "fraud", "group", "model", "predicted", "prediction"], prefer: ["nps", "recommend"] },
  date: {
    parts: ["date", "timestamp", "datum", "dato", "time"],
    not: ["birth", "birthday", "delivery", "delivered", "estimated", "approved", "carrier", "shipping", "shipped", "purchase", "order", "signup", "start", "created"],
    prefer: ["answer", "response", "submit", "submitted", "recorded", "end", "completed", "survey", "svar"],
  },
  group: {
    parts: ["region", "segment", "branch", "team", "store", "office", "city", "state", "country", "province", "county", "district", "area", "market", "avdelning", "filial", "butik", "kontor", "stad", "kommun", "lan", "fylke", "kunta"],
    not: ["id", "code", "zip", "prefix", "lat", "lng", "latitude", "longitude", "postal"],
    // "customer_state", "Sales region name", but not "Area of improvement" or "Store rating"
    lastWord: true,
  },
  revenue: { parts: ["revenue", "sales", "turnover", "intakt", "intakter", "omsattning", "inntekt", "inntekter", "omsaetning", "liikevaihto"], not: ["growth", "share", "rank", "target", "budget", "per", "forecast"] },
  cost: { parts: ["cost", "costs", "kostnad", "kostnader", "cogs", "omkostninger", "kustannus"], not: ["per", "center", "centre", "code", "budget"] },
  period: { parts: ["period", "month", "manad", "maned", "kuukausi", "periode"], not: ["months", "count", "number"] },
  customers: { parts: ["customers", "kunder", "asiakkaat"], not: ["share", "per"] },
  // "Why did you give this score?", "Q5 - Any other comments", "Kommentar till betyget"
  comment: {
    parts: ["comment", "comments", "kommentar", "kommentarer", "kommentti", "kommentit", "feedback", "verbatim", "fritext", "why", "reason", "varfor", "hvorfor", "miksi"],
    not: ["id", "code", "count", "churn", "date"],
  },
};

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

function detect(header: readonly string[], role: Role, file: string, withParts = true): ColumnRef | null {
  const normalised = header.map(normaliseHeader);
  const ambiguous = (indices: number[]) =>
    new InputError({ file }, `${indices.length} columns could be the ${role === "customerId" ? "customer id" : role} column: ${indices.map((i) => header[i]).join(", ")}`, {
      hint: `name the one to use with ${ROLE_FLAGS[role]}`,
    });
  for (const candidate of ROLE_NAMES[role]) {
    const indices = normalised.flatMap((name, index) => (name === candidate ? [index] : []));
    if (indices.length > 1) throw ambiguous(indices);
    if (indices.length === 1) return { name: header[indices[0]!]!, index: indices[0]!, detected: true };
  }
  const rule = ROLE_PARTS[role];
  if (!rule || !withParts) return null;
  // camelCase headers ("TotalRevenue") split into words too
  const wordsOf = (i: number) => new Set([...normalised[i]!.split(" "), ...normaliseHeader(header[i]!.replace(/([a-z])([A-Z])/g, "$1 $2")).split(" ")]);
  const candidates: { index: number; rank: number }[] = [];
  header.forEach((_, index) => {
    const words = wordsOf(index);
    if (rule.not?.some((w) => words.has(w))) return;
    const ordered = normalised[index]!.split(" ");
    const tail = ordered.at(-1) === "name" ? ordered.at(-2) : ordered.at(-1);
    const partIndex = rule.parts.findIndex((p) => (rule.lastWord ? tail === p : words.has(p)));
    const setIndex = rule.all?.findIndex((set) => set.every((w) => words.has(w))) ?? -1;
    if (partIndex === -1 && setIndex === -1) return;
    const last = normalised[index]!.split(" ").at(-1);
    // a preferred word first, then the earlier part of the list, then a header that ends with it
    const rank = (rule.prefer?.some((w) => words.has(w)) ? 0 : 1000) + (partIndex === -1 ? setIndex : partIndex) * 2 + (partIndex !== -1 && last === rule.parts[partIndex] ? 0 : 1);
    candidates.push({ index, rank });
  });
  if (candidates.length === 0) return null;
  const best = Math.min(...candidates.map((c) => c.rank));
  const top = candidates.filter((c) => c.rank === best).map((c) => c.index);
  if (top.length > 1) throw ambiguous(top);
  return { name: header[top[0]!]!, index: top[0]!, detected: true };
}

const ROLE_FLAGS: Record<Role, string> = {
  customerId: "--customer-id",
  score: "--score",
  date: "--date",
  group: "--by",
  weight: "--weight",
  revenue: "--revenue",
  cost: "--cost",
  period: "--period-column",
  customers: "--customers",
  comment: "--comment",
  owner: "--owner",
};

function detectScore(header: readonly string[], file: string): ColumnRef | null {
  const byName = detect(header, "score", file, false);
  if (byName) return byName;
  const normalised = header.map(normaliseHeader);
  const phrase = normalised.findIndex((name) => SCORE_PHRASES.some((p) => name.includes(p)) && !name.includes("group"));
  return phrase === -1 ? detect(header, "score", file) : { name: header[phrase]!, index: phrase, detected: true };
}

/** The score column from the question text (a Qualtrics export names it Q1, its label asks "how likely…recommend"). */
function detectScoreByLabel(header: readonly string[], labels: readonly string[]): ColumnRef | null {
  const index = labels.findIndex((label, i) => label !== header[i] && SCORE_PHRASES.some((p) => normaliseHeader(label).includes(p)) && !/group/i.test(header[i]!));
  return index === -1 ? null : { name: header[index]!, index, detected: true };
}

function missingRole(file: string, role: string, flag: string, header: readonly string[]): InputError {
  const looked = ROLE_NAMES[role as Role]?.slice(0, 4).join(", ");
  const words = role === "customerId" ? "customer id" : role;
  return new InputError({ file }, `no ${words} column found (looked for ${looked}, …); columns are: ${columnList(header)}`, {
    hint: `name it with ${flag} COLUMN`,
  });
}

/**
 * The columns whose header (or, in a survey-tool export, question text) names a free-text comment,
 * best first: exact names before word parts, then left to right.
 */
export function commentColumns(header: readonly string[], labels: readonly string[] = header, isText: (index: number) => boolean = () => true): ColumnRef[] {
  const rank = (text: string): number | null => {
    const name = normaliseHeader(text);
    if (name === "") return null;
    const exact = ROLE_NAMES.comment.indexOf(name as never);
    if (exact !== -1) return exact;
    const rule = ROLE_PARTS.comment!;
    const words = new Set([...name.split(" "), ...normaliseHeader(text.replace(/([a-z])([A-Z])/g, "$1 $2")).split(" ")]);
    if (rule.not!.some((w) => words.has(w))) return null;
    if (name.includes("open text") || name.includes("free text")) return 100;
    const part = rule.parts.findIndex((p) => words.has(p));
    // a comment's title is a worse choice than its message (review_comment_title, review_comment_message)
    return part === -1 ? null : 100 + part + (["title", "subject", "headline"].some((w) => words.has(w)) ? 50 : 0);
  };
  const found: { ref: ColumnRef; rank: number }[] = [];
  header.forEach((name, index) => {
    const byName = rank(name);
    const byLabel = labels[index] !== undefined && labels[index] !== name ? rank(labels[index]!) : null;
    const best = byName === null ? byLabel : byLabel === null ? byName : Math.min(byName, byLabel);
    if (best !== null && isText(index)) found.push({ ref: { name, index, detected: true }, rank: best });
  });
  return found.sort((a, b) => a.rank - b.rank || a.ref.index - b.ref.index).map((f) => f.ref);
}

/** Resolves the survey's role columns (all but drivers, which need the values). */
/**
 * @param isText whether a column's values are free text (mostly not numbers): a comment is; without values, every column may be
 */
export function resolveSurveyColumns(header: readonly string[], flags: SurveyColumnFlags, file: string, labels: readonly string[] = header, isText?: (index: number) => boolean): SurveyColumns {
  const named = (wanted: string | undefined, flag: string) => (wanted === undefined ? undefined : findNamedColumn(header, wanted, flag, file));
  // a comment column is found first and hidden from the other roles: "Why would you recommend us?"
  // is not the score, and "Why did you choose this store?" is not a group
  const commentLike = commentColumns(header, labels, isText);
  const comment = named(flags.comment, "--comment") ?? (commentLike[0] ?? null);
  const hidden = new Set(commentLike.map((c) => c.index));
  if (comment) hidden.add(comment.index);
  const visible = header.map((name, index) => (hidden.has(index) ? "" : name));
  const visibleLabels = labels.map((name, index) => (hidden.has(index) ? "" : name));
  const score = named(flags.score, "--score") ?? detectScore(visible, file) ?? detectScoreByLabel(visible, visibleLabels);
  if (!score) throw missingRole(file, "score", "--score", header);
  const columns: SurveyColumns = {
    customerId: named(flags.customerId, "--customer-id") ?? detect(visible, "customerId", file),
    score,
    date: named(flags.date, "--date") ?? detect(visible, "date", file),
    group: named(flags.by, "--by") ?? detect(visible, "group", file),
    weight: named(flags.weight, "--weight") ?? null,
    outcome: named(flags.outcome, "--outcome") ?? null,
    comment,
    owner: named(flags.owner, "--owner") ?? detect(visible, "owner", file, false),
    drivers: (flags.drivers ?? []).map((name) => findNamedColumn(header, name, "--drivers", file)),
  };
  if (comment && [columns.customerId, columns.score, columns.date, columns.group, columns.weight, columns.outcome].some((c) => c?.index === comment.index)) {
    throw new InputError({ file }, `column "${comment.name}" cannot be both the comment and another role`, { hint: "name another column with --comment, or the role's own option" });
  }
  const roles = [columns.customerId, columns.score, columns.date, columns.group, columns.weight, columns.outcome, columns.comment].filter((c): c is ColumnRef => c !== null);
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

/** The first of `names` (normalised header names, best first) that the header has; null for none. */
export function findByNames(header: readonly string[], names: readonly string[]): ColumnRef | null {
  const normalised = header.map(normaliseHeader);
  for (const name of names) {
    const index = normalised.indexOf(name);
    if (index !== -1) return { name: header[index]!, index, detected: true };
  }
  return null;
}

/** Texts that mean "not answered". */
export function isMissing(text: string): boolean {
  // an id or a group name longer than "#n/a" with no space at either end is never missing: most cells, without a regular expression
  if (text.length > 4 && text.charCodeAt(0) > 32 && text.charCodeAt(text.length - 1) > 32) return false;
  const s = text.trim();
  return s === "" || /^(na|n\/a|#n\/a|null|-)$/i.test(s);
}
