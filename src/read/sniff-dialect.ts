/**
 * Guesses the delimiter of a delimited text file from its first lines: the candidate that
 * occurs (outside quotes) the same, non-zero number of times on the most lines wins.
 * Pure: works on a decoded sample of the file's beginning.
 */

export type Delimiter = "," | ";" | "\t" | "|";

export const DELIMITER_CANDIDATES: readonly Delimiter[] = [",", ";", "\t", "|"];

/** Splits a sample into logical lines, honouring quotes (a quoted newline does not end a line). */
function logicalLines(sample: string, limit: number): string[] {
  const lines: string[] = [];
  let start = 0;
  let inQuotes = false;
  for (let i = 0; i < sample.length && lines.length < limit; i++) {
    const char = sample[i];
    if (char === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (char === "\n" || char === "\r")) {
      if (i > start) lines.push(sample.slice(start, i));
      if (char === "\r" && sample[i + 1] === "\n") i++;
      start = i + 1;
    }
  }
  // the last line of a sample may be cut short: use it only when it is the whole file's last line
  return lines;
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let count = 0;
  let inQuotes = false;
  for (const char of line) {
    if (char === '"') inQuotes = !inQuotes;
    else if (!inQuotes && char === delimiter) count++;
  }
  return count;
}

/**
 * The most plausible delimiter of a sample: the one whose per-line count is most often equal to
 * the header's (and non-zero); ties go to the earlier candidate (`,` then `;`, tab, `|`).
 * A file with a single column gives `,`.
 * @param complete true when the sample is the whole file (its last line is then complete too)
 * @example sniffDelimiter('a;b\n1,5;2\n') // => ";"
 */
export function sniffDelimiter(sample: string, complete = false): Delimiter {
  const lines = logicalLines(complete ? `${sample}\n` : sample, 50);
  if (lines.length === 0) return ",";
  let best: Delimiter = ",";
  let bestScore = 0;
  for (const candidate of DELIMITER_CANDIDATES) {
    const headerCount = countOutsideQuotes(lines[0]!, candidate);
    if (headerCount === 0) continue;
    const consistent = lines.filter((line) => countOutsideQuotes(line, candidate) === headerCount).length;
    // weigh consistency first, then how many fields the delimiter makes
    const score = consistent * 1000 + Math.min(headerCount, 999);
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}
