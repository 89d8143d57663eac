/**
 * An explicit churn flag (a CRM export's `Churn Value` or `Customer Status`): which column holds
 * it, and what its values mean. With a flag, whether a customer left comes from the flag, not from
 * the finance rows.
 */
import { normaliseHeader } from "./column-roles.js";

/** Headers that name a churn flag (normalised: lower case, accents folded). */
const CHURN_HEADERS = [
  "churn", "churned", "churn value", "churn label", "churn flag", "churn status", "is churned", "has churned", "customer status", "status", "lost", "lost customer",
  "left", "cancelled", "canceled", "avslutad", "avslutat", "uppsagd", "sagt upp", "opsagt", "opsagd", "oppsagt", "kundstatus", "lopettanut", "irtisanottu", "poistunut",
];

const CHURNED = new Set(["1", "yes", "y", "true", "t", "churned", "churn", "left", "lost", "cancelled", "canceled", "closed", "inactive", "terminated", "ja", "j", "avslutad", "avslutat", "uppsagd", "opsagt", "oppsagt", "kylla", "k", "lopettanut", "poistunut"]);
const STAYED = new Set(["0", "no", "n", "false", "f", "stayed", "active", "joined", "retained", "current", "new", "nej", "nei", "ei", "aktiv", "aktiivinen", "kvar", "stannat"]);

/**
 * A flag cell: true (left), false (stayed), null (blank), undefined (not a flag value).
 * @example parseChurnFlag("Churned") // => true
 * @example parseChurnFlag("Joined") // => false
 */
export function parseChurnFlag(text: string): boolean | null | undefined {
  const value = normaliseHeader(text);
  if (value === "") return null;
  if (CHURNED.has(value)) return true;
  if (STAYED.has(value)) return false;
  return undefined;
}

/** The values a flag may hold, for messages. */
export const CHURN_FLAG_VALUES = "1/0, yes/no, true/false, Churned/Stayed (or Joined), ja/nej, kyllä/ei";

/**
 * The index of the churn flag column: the one named (case and accents ignored), else the first
 * whose header names a churn flag and whose values are flags; -1 when there is none.
 */
export function findChurnColumn(header: readonly string[], sample: readonly (readonly string[])[], named?: string): number {
  if (named !== undefined) return header.findIndex((h) => normaliseHeader(h) === normaliseHeader(named));
  return header.findIndex((h, i) => {
    if (!CHURN_HEADERS.includes(normaliseHeader(h))) return false;
    const values = sample.map((row) => row[i] ?? "").filter((v) => v.trim() !== "");
    return values.length > 0 && values.filter((v) => parseChurnFlag(v) !== undefined).length >= 0.9 * values.length;
  });
}
