/**
 * A worker thread that runs driver analyses (the regression, the importances and their
 * bootstrap) handed to it by `runDriverTasks`, one task at a time, and posts each result back.
 * The same pure function as on the main thread, on the same data and seed: the same result.
 */
import { parentPort } from "node:worker_threads";
import { LoyaltyError } from "./errors.js";
import { analyzeDrivers } from "./metrics/drivers.js";
import type { DriverTask, DriverWorkerReply } from "./parallel.js";

const port = parentPort!;
port.on("message", (task: DriverTask) => {
  let reply: DriverWorkerReply;
  try {
    const options = task.options === null ? null : { ...task.options, onResample: task.progress ? (done: number, total: number) => port.postMessage({ id: task.id, progress: [done, total] } satisfies DriverWorkerReply) : undefined };
    reply = { id: task.id, result: analyzeDrivers(task.outcomeName, task.outcome, task.drivers, options, task.kind) };
  } catch (error) {
    const known = error instanceof LoyaltyError;
    reply = { id: task.id, error: { name: known ? error.name : "Error", message: error instanceof Error ? error.message : String(error), hint: known ? error.hint : undefined, stack: error instanceof Error ? error.stack : undefined } };
  }
  port.postMessage(reply);
});
