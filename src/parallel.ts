/**
 * Both cores: driver analyses (each a regression with 1,000 bootstrap resamples of its
 * importances) run in worker threads while the main thread reads the finance file. Each task is
 * the same pure computation on the same data and seed as on the main thread, and the results come
 * back in task order, so the report is the same bytes whatever the number of threads.
 */
import { Worker } from "node:worker_threads";
import { DataError, LoyaltyError, UsageError } from "./errors.js";
import type { ImportanceOptions } from "./metrics/driver-importance.js";
import { analyzeDrivers, type DriverColumn, type DriverModelKind, type FullDriverAnalysis } from "./metrics/drivers.js";

/** One driver analysis, as posted to a worker (data only: no functions). */
export interface DriverTask {
  id: number;
  outcomeName: string;
  outcome: (number | null)[];
  drivers: DriverColumn[];
  options: Omit<ImportanceOptions, "onResample"> | null;
  kind: DriverModelKind;
  /** Whether the worker reports the bootstrap's progress. */
  progress: boolean;
}

export type DriverWorkerReply =
  | { id: number; result: FullDriverAnalysis }
  | { id: number; progress: [number, number] }
  | { id: number; error: { name: string; message: string; hint: string | undefined; stack: string | undefined } };

/** The worker's compiled module, beside this one; absent when running from the TypeScript sources (the tests), where tasks run here. */
const WORKER = import.meta.url.endsWith(".js") ? new URL("./drivers-worker.js", import.meta.url) : null;

/** Whether tasks can go to worker threads at all. */
export const workersAvailable = WORKER !== null;

function revive(error: { name: string; message: string; hint: string | undefined; stack: string | undefined }): Error {
  const options = error.hint === undefined ? {} : { hint: error.hint };
  if (error.name === "DataError") return new DataError(error.message, options);
  if (error.name === "UsageError") return new UsageError(error.message, options);
  if (error.name === "LoyaltyError") return new LoyaltyError(error.message, options);
  const internal = new Error(error.message);
  internal.stack = error.stack ?? internal.stack;
  return internal;
}

/** A task's result, or the error it raised (thrown by the caller only where the task would have run one after another). */
export type DriverOutcome = { result: FullDriverAnalysis } | { error: Error };

/** Driver analyses under way: their outcomes in task order, awaited when needed. */
export interface DriverJob {
  result(): Promise<DriverOutcome[]>;
}

/**
 * Starts the tasks on `workers` worker threads (on this thread, at once, when 0 or when workers are
 * not available), each worker taking the next task from the front when done. `result()` makes
 * this thread help: it takes tasks from the back (the smaller group models) until none is left,
 * then waits for the workers. `onProgress` hears the first task's bootstrap progress. The workers
 * do not keep the process alive (an error elsewhere ends the run); `result()` does, until they are
 * done.
 */
export function startDriverTasks(tasks: Omit<DriverTask, "id" | "progress">[], workers: number, onProgress?: (done: number, total: number) => void): DriverJob {
  const run = (t: Omit<DriverTask, "id" | "progress">, i: number): DriverOutcome => {
    try {
      return { result: analyzeDrivers(t.outcomeName, t.outcome, t.drivers, t.options === null ? null : { ...t.options, onResample: i === 0 ? onProgress : undefined }, t.kind) };
    } catch (error) {
      return { error: error as Error };
    }
  };
  if (workers <= 0 || WORKER === null || tasks.length === 0) {
    const results = tasks.map((t, i) => run(t, i));
    return { result: async () => results };
  }
  const results: DriverOutcome[] = new Array(tasks.length);
  // tasks next[0]..last are not yet taken: workers take from the front, this thread from the back
  let next = 0;
  let last = tasks.length - 1;
  const pool = Array.from({ length: Math.min(workers, tasks.length) }, () => new Worker(WORKER));
  for (const worker of pool) worker.unref();
  const done = Promise.all(
    pool.map(
      (worker) =>
        new Promise<void>((resolve, reject) => {
          const give = () => {
            if (next > last) return resolve();
            const id = next++;
            worker.postMessage({ ...tasks[id]!, id, progress: id === 0 && onProgress !== undefined } satisfies DriverTask);
          };
          worker.on("message", (reply: DriverWorkerReply) => {
            if ("progress" in reply) return onProgress?.(...reply.progress);
            results[reply.id] = "error" in reply ? { error: revive(reply.error) } : { result: reply.result };
            give();
          });
          worker.on("error", reject);
          // after resolve, a no-op
          worker.on("exit", (code) => reject(new Error(`a worker thread stopped early (exit code ${code})`)));
          give();
        }),
    ),
  ).finally(() => Promise.all(pool.map((worker) => worker.terminate())));
  // handled here; result() rethrows
  done.catch(() => undefined);
  return {
    result: async () => {
      for (const worker of pool) worker.ref();
      while (next <= last) {
        const id = last--;
        results[id] = run(tasks[id]!, id);
        // let the workers' messages in between tasks
        await new Promise((resolve) => setImmediate(resolve));
      }
      await done;
      return results;
    },
  };
}
