/**
 * CSV for spreadsheets and CRM imports: RFC 4180 quoting, and text cells that a spreadsheet would
 * run as a formula (starting with = + - @ tab or carriage return) prefixed with ' (OWASP, CWE-1236).
 * Numbers are written as numbers, untouched.
 */

/** One cell: numbers as they are, text neutralised and quoted when needed, null as empty. */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole CSV document: header, rows, CRLF line ends (RFC 4180). */
export function renderCsv(header: readonly string[], rows: readonly (readonly (string | number | boolean | null)[])[]): string {
  return [header, ...rows].map((row) => row.map((cell) => csvCell(cell)).join(",")).join("\r\n") + "\r\n";
}
