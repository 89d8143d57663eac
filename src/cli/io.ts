/**
 * Everything a command may touch outside itself: output streams, files, environment and
 * clock. `nodeIo()` is the real one; tests use `memoryIo()` and run the CLI in-process.
 */
import { writeFileAtomically } from "./write-file.js";

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stdout is an interactive terminal (colour, human tables). */
  stdoutIsTTY: boolean;
  /** The terminal's width when stdout is one (and reports a width). */
  columns?: number | undefined;
  /** Standard error when it is a terminal (for a progress bar); absent otherwise. */
  progressStream?: NodeJS.WriteStream | undefined;
  /** The width of standard error when it is a terminal: warnings are wrapped to it (a log gets one line each). */
  stderrColumns?: number | undefined;
  env: Readonly<Record<string, string | undefined>>;
  /** Writes a file atomically: a reader never sees it half written. */
  writeFile(path: string, content: string): Promise<void>;
  /** The current time (reports use SOURCE_DATE_EPOCH instead when it is set). */
  now(): Date;
  /** Standard input, for an input file named "-". */
  stdin: AsyncIterable<Buffer | string>;
}

export function nodeIo(): Io {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stdoutIsTTY: process.stdout.isTTY === true,
    columns: process.stdout.isTTY && process.stdout.columns > 0 ? process.stdout.columns : undefined,
    progressStream: process.stderr.isTTY ? process.stderr : undefined,
    stderrColumns: process.stderr.isTTY && process.stderr.columns > 0 ? process.stderr.columns : undefined,
    env: process.env,
    writeFile: writeFileAtomically,
    now: () => new Date(),
    stdin: process.stdin,
  };
}

export interface MemoryIo extends Io {
  out: string;
  err: string;
}

/** An Io that collects output in memory; files are written for real (tests pass temporary paths). */
export function memoryIo(options: { env?: Record<string, string | undefined>; isTTY?: boolean; columns?: number; now?: Date; stdin?: string } = {}): MemoryIo {
  const io: MemoryIo = {
    out: "",
    err: "",
    stdout: (text) => void (io.out += text),
    stderr: (text) => void (io.err += text),
    stdoutIsTTY: options.isTTY ?? false,
    columns: options.columns,
    env: options.env ?? {},
    writeFile: writeFileAtomically,
    now: () => options.now ?? new Date(Date.UTC(2026, 0, 1)),
    stdin: (async function* () {
      if (options.stdin !== undefined) yield Buffer.from(options.stdin);
    })(),
  };
  return io;
}
