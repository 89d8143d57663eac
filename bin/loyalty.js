#!/usr/bin/env node
// The loyalty command: runs the built CLI (dist/, made by `npm run build`, which `npm ci` runs).
import { main } from "../dist/cli/program.js";
import { nodeIo } from "../dist/cli/io.js";

// `loyalty … | head` closes the pipe early: that is not an error.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2), nodeIo());
