/**
 * CSV for spreadsheets and CRM imports: RFC 4180 quoting, and text cells that a spreadsheet would
 * run as a formula (starting with = + - @ tab or carriage return) prefixed with ' (OWASP, CWE-1236).
 * Control characters and bidirectional overrides are escaped (\u0007). Numbers are written as
 * numbers, untouched.
 */

/** One cell: numbers as they are, text neutralised and quoted when needed, null as empty. */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  // control characters (BEL, ANSI escapes) and bidirectional overrides from the data are written
  // visibly escaped, so a cell cannot ring, recolour a terminal or reverse what a reader sees
  const visible = value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  const text = /^[=+\-@\t\r]/.test(visible) ? `'${visible}` : visible;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole CSV document: header, rows, CRLF line ends (RFC 4180). */
export function renderCsv(header: readonly string[], rows: readonly (readonly (string | number | boolean | null)[])[]): string {
  return [header, ...rows].map((row) => row.map((cell) => csvCell(cell)).join(",")).join("\r\n") + "\r\n";
}
