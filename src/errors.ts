/**
 * Errors are values with context. They are raised in read/, normalise/ and the
 * pure layers, and printed once, by src/cli/program.ts, which also picks the
 * exit code. A user error never prints a stack trace.
 */

/** Where in an input file something went wrong. Lines and columns are 1-based physical positions. */
export interface Location {
  file: string;
  line?: number;
  column?: number;
  /** The column's header name, when known. */
  columnName?: string;
}

/** Base class: every error loyalty raises on purpose. */
export class LoyaltyError extends Error {
  override name = "LoyaltyError";
  /** What the user can do about it, appended after a semicolon when printed. */
  readonly hint: string | undefined;
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.hint = options.hint;
  }
  /** The one-line diagnostic printed after `loyalty: `. */
  describe(): string {
    return this.hint ? `${this.message}; ${this.hint}` : this.message;
  }
}

/** The command line was used wrongly (unknown option, bad value). Exit code 2. */
export class UsageError extends LoyaltyError {
  override name = "UsageError";
}

/** An input file cannot be read or is invalid at a known place. Exit code 2. */
export class InputError extends LoyaltyError {
  override name = "InputError";
  readonly location: Location;
  constructor(location: Location, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options);
    this.location = location;
  }
  override describe(): string {
    return `${formatLocation(this.location)}: ${super.describe()}`;
  }
}

/** The data is readable but cannot support the requested analysis (no responses, zero overlap). Exit code 2. */
export class DataError extends LoyaltyError {
  override name = "DataError";
}

/** An output (--output, a generated file, standard output) cannot be written. Exit code 2. */
export class OutputError extends LoyaltyError {
  override name = "OutputError";
}

/** `file:line:column`, leaving out the parts that are unknown. */
export function formatLocation(location: Location): string {
  let text = location.file;
  if (location.line !== undefined) text += `:${location.line}`;
  if (location.line !== undefined && location.column !== undefined) text += `:${location.column}`;
  return text;
}

/** One or more --fail-if gates tripped; the report has been written and the gates named. Exit code 1. */
export class GatesTripped extends Error {
  override name = "GatesTripped";
  constructor(readonly count: number) {
    super(`${count} --fail-if gate${count === 1 ? "" : "s"} tripped`);
  }
}
