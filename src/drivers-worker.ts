/**
 * A worker thread that runs units of driver analyses (an analysis without its intervals, or one
 * block of its bootstrap): it claims them from the front of the shared claims, one at a time,
 * posts each result back, and says when none is left. The same pure functions as on the main
 * thread, on the same (shared) data: the same results. Started ahead of its job with a rehearsal
 * (prewarmWorkers), it runs the analyses' code on made-up data until the job comes (warmUp).
 */
import { parentPort, workerData } from "node:worker_threads";
import type { BootstrapBlock } from "./metrics/driver-importance.js";
import type { FullDriverAnalysis } from "./metrics/drivers.js";
import { claim, postedError, unitRunner, warmUp, type DriverJobMessage, type DriverWorkerReply, type Rehearsal } from "./parallel.js";

const port = parentPort!;
let jobCame = false;
port.once("message", ({ tasks, units, claims }: DriverJobMessage) => {
  jobCame = true;
  const run = unitRunner();
  for (let u = 0; u < units.length; u++) {
    if (!claim(claims, u)) continue;
    const { task, block } = units[u]!;
    let reply: DriverWorkerReply;
    try {
      const outcome = run(task, tasks[task]!, block);
      reply = block < 0 ? { task, block, analysis: outcome as FullDriverAnalysis } : { task, block, replicates: outcome as BootstrapBlock | null };
    } catch (error) {
      reply = { task, block, error: postedError(error) };
    }
    port.postMessage(reply);
  }
  port.postMessage({ finished: true } satisfies DriverWorkerReply);
});
const rehearsal = (workerData as { rehearsal?: Rehearsal | null } | null)?.rehearsal;
if (rehearsal) void warmUp(rehearsal, () => jobCame);
