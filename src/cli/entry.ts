/**
 * What bin/loyalty.js runs, in one module: the bundle's entry (scripts/bundle.mjs), so the command
 * loads one file of code instead of several hundred small ones.
 */
export { main } from "./program.js";
export { nodeIo } from "./io.js";
export { describeWriteError, removePendingTemporaries } from "./write-file.js";
