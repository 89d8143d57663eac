/**
 * A worker thread that runs units of driver analyses (an analysis without its intervals, or one
 * block of its bootstrap) handed to it by `startDriverTasks`, one at a time, and posts each result
 * back. The same pure functions as on the main thread, on the same data: the same results.
 */
import { parentPort } from "node:worker_threads";
import type { BootstrapBlock } from "./metrics/driver-importance.js";
import type { FullDriverAnalysis } from "./metrics/drivers.js";
import { postedError, unitRunner, type DriverTask, type DriverUnit, type DriverWorkerReply } from "./parallel.js";

const port = parentPort!;
const run = unitRunner();
// the data of the task this worker is on (posted with its first unit)
let held: DriverTask | null = null;
port.on("message", (unit: DriverUnit) => {
  if (unit.data) held = unit.data;
  const { task, block } = unit;
  let reply: DriverWorkerReply;
  try {
    const outcome = run(task, held!, block);
    reply = block < 0 ? { task, block, analysis: outcome as FullDriverAnalysis } : { task, block, replicates: outcome as BootstrapBlock | null };
  } catch (error) {
    reply = { task, block, error: postedError(error) };
  }
  port.postMessage(reply);
});
