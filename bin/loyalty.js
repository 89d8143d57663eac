#!/usr/bin/env node
// The loyalty command: runs the built CLI (dist/, made by `npm run build`, which `npm ci` runs).
import { readFileSync } from "node:fs";

// --version answers without loading the CLI (commander, zod, the statistics): as fast as node starts
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  process.stdout.write(`${JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version}\n`);
  process.exit(0);
}

// the CLI as one bundle (scripts/bundle.mjs): one file to load, not several hundred
const { main, nodeIo, describeWriteError, removePendingTemporaries } = await import("../dist/bundle/loyalty.js");

// `loyalty … | head` closes the pipe early: that is not an error. Any other failure to write
// standard output (a full disk, an I/O error) is reported once, as an output error (exit 2).
let streamFailed = false;
for (const [stream, name] of [[process.stdout, "standard output"], [process.stderr, "standard error"]]) {
  stream.on("error", (error) => {
    if (error.code === "EPIPE") {
      removePendingTemporaries();
      process.exit(process.exitCode ?? 0);
    }
    if (streamFailed) return;
    streamFailed = true;
    removePendingTemporaries();
    if (stream !== process.stderr) {
      try {
        process.stderr.write(`loyalty: ${describeWriteError(name, error).describe()}\n`);
      } catch {
        // stderr is gone too
      }
    }
    process.exit(2);
  });
}

// an interrupted run leaves no temporary file behind
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]]) {
  process.on(signal, () => {
    removePendingTemporaries();
    process.exit(code);
  });
}

process.exitCode = await main(process.argv.slice(2), nodeIo());
