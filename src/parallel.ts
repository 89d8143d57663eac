/**
 * Both cores: driver analyses (each a regression with 1,000 bootstrap resamples of its
 * importances) run in worker threads while the main thread reads the finance file. The work is cut
 * into units: each analysis without its intervals, and each block of its bootstrap (25 resamples,
 * drawn from the block's own seeded stream). Every unit is the same pure computation on the same
 * data wherever it runs, and the blocks are merged in order, so the report is the same bytes
 * whatever the number of threads.
 */
import { Worker } from "node:worker_threads";
import { DataError, LoyaltyError, UsageError } from "./errors.js";
import { bootstrapBlockCount, RESAMPLES_PER_BLOCK, type BootstrapBlock, type ImportanceOptions } from "./metrics/driver-importance.js";
import {
  driverBlock,
  driversWithoutIntervals,
  planDriverAnalysis,
  withDriverIntervals,
  type DriverColumn,
  type DriverModelKind,
  type DriverPlan,
  type FullDriverAnalysis,
} from "./metrics/drivers.js";

/** One driver analysis (data only: no functions). */
export interface DriverTask {
  outcomeName: string;
  outcome: (number | null)[];
  drivers: DriverColumn[];
  options: Omit<ImportanceOptions, "onResample"> | null;
  kind: DriverModelKind;
}

/** A unit as posted to a worker: task `task`'s analysis without intervals (block −1) or one block of its bootstrap; the task's data when the worker does not hold it yet. */
export interface DriverUnit {
  task: number;
  block: number;
  data?: DriverTask;
}

export interface WorkerError {
  name: string;
  message: string;
  hint: string | undefined;
  stack: string | undefined;
}

export type DriverWorkerReply =
  | { task: number; block: number; analysis: FullDriverAnalysis }
  | { task: number; block: number; replicates: BootstrapBlock | null }
  | { task: number; block: number; error: WorkerError };

/** The worker's compiled module, beside this one; absent when running from the TypeScript sources (the tests), where tasks run here. */
const WORKER = import.meta.url.endsWith(".js") ? new URL("./drivers-worker.js", import.meta.url) : null;

/** Whether tasks can go to worker threads at all. */
export const workersAvailable = WORKER !== null;

function revive(error: WorkerError): Error {
  const options = error.hint === undefined ? {} : { hint: error.hint };
  if (error.name === "DataError") return new DataError(error.message, options);
  if (error.name === "UsageError") return new UsageError(error.message, options);
  if (error.name === "LoyaltyError") return new LoyaltyError(error.message, options);
  const internal = new Error(error.message);
  internal.stack = error.stack ?? internal.stack;
  return internal;
}

/** An error as a worker posts it. */
export function postedError(error: unknown): WorkerError {
  const known = error instanceof LoyaltyError;
  return { name: known ? error.name : "Error", message: error instanceof Error ? error.message : String(error), hint: known ? error.hint : undefined, stack: error instanceof Error ? error.stack : undefined };
}

/**
 * Runs units of one task after another on one thread, keeping the plan of the task it is on
 * (its rows, folded for the bootstrap) until a unit of another task comes.
 */
export function unitRunner() {
  let current: { task: number; plan: DriverPlan | null; error: unknown } | null = null;
  return (task: number, data: DriverTask, block: number): FullDriverAnalysis | BootstrapBlock | null => {
    if (current?.task !== task) {
      current = { task, plan: null, error: null };
      try {
        current.plan = planDriverAnalysis(data.outcomeName, data.outcome, data.drivers, data.options, data.kind);
      } catch (error) {
        current.error = error;
      }
    }
    if (current.plan === null) throw current.error;
    return block < 0 ? driversWithoutIntervals(current.plan) : driverBlock(current.plan, block);
  };
}

/** A task's result, or the error it raised (thrown by the caller only where the task would have run one after another). */
export type DriverOutcome = { result: FullDriverAnalysis } | { error: Error };

/** Driver analyses under way: their outcomes in task order, awaited when needed. */
export interface DriverJob {
  result(): Promise<DriverOutcome[]>;
}

/**
 * Starts the tasks on `workers` worker threads (on this thread, at once, when 0 or when workers are
 * not available), each worker taking the next unit from the front when done. `result()` makes
 * this thread help: it takes units from the back (the smaller group models) until none is left,
 * then waits for the workers. `onProgress` hears how many of all the resamples are done. The
 * workers do not keep the process alive (an error elsewhere ends the run); `result()` does, until
 * they are done.
 */
export function startDriverTasks(tasks: DriverTask[], workers: number, onProgress?: (done: number, total: number) => void): DriverJob {
  const units: { task: number; block: number }[] = [];
  let total = 0;
  tasks.forEach((t, task) => {
    units.push({ task, block: -1 });
    const resamples = t.options === null ? 0 : (t.options.bootstrap ?? 1000);
    total += resamples;
    for (let block = 0; block < bootstrapBlockCount(resamples); block++) units.push({ task, block });
  });
  const analyses: (FullDriverAnalysis | Error | undefined)[] = new Array(tasks.length);
  const blocks: (BootstrapBlock | null | Error | undefined)[][] = tasks.map(() => []);
  let resamplesDone = 0;
  const record = (task: number, block: number, outcome: FullDriverAnalysis | BootstrapBlock | null | Error) => {
    if (block < 0) return void (analyses[task] = outcome as FullDriverAnalysis | Error);
    blocks[task]![block] = outcome as BootstrapBlock | null | Error;
    const resamples = tasks[task]!.options?.bootstrap ?? 1000;
    resamplesDone += Math.min(RESAMPLES_PER_BLOCK, resamples - block * RESAMPLES_PER_BLOCK);
    onProgress?.(resamplesDone, total);
  };
  const here = unitRunner();
  const runHere = (unit: { task: number; block: number }) => {
    let outcome: FullDriverAnalysis | BootstrapBlock | null | Error;
    try {
      outcome = here(unit.task, tasks[unit.task]!, unit.block);
    } catch (error) {
      outcome = error as Error;
    }
    record(unit.task, unit.block, outcome);
  };
  const outcomes = (): DriverOutcome[] =>
    tasks.map((_, task) => {
      const analysis = analyses[task]!;
      if (analysis instanceof Error) return { error: analysis };
      const failed = blocks[task]!.find((b) => b instanceof Error);
      if (failed instanceof Error) return { error: failed };
      return { result: withDriverIntervals(analysis, blocks[task]!.filter((b): b is BootstrapBlock => b !== null && b !== undefined && !(b instanceof Error))) };
    });
  if (workers <= 0 || WORKER === null || tasks.length === 0) {
    for (const unit of units) runHere(unit);
    const results = outcomes();
    return { result: async () => results };
  }
  // units next..last are not yet taken: workers take from the front, this thread from the back
  let next = 0;
  let last = units.length - 1;
  const pool = Array.from({ length: Math.min(workers, units.length) }, () => new Worker(WORKER));
  for (const worker of pool) worker.unref();
  const done = Promise.all(
    pool.map(
      (worker) =>
        new Promise<void>((resolve, reject) => {
          // the task whose data this worker holds
          let holds = -1;
          const give = () => {
            if (next > last) return resolve();
            const unit = units[next++]!;
            const message: DriverUnit = holds === unit.task ? unit : { ...unit, data: tasks[unit.task]! };
            holds = unit.task;
            worker.postMessage(message);
          };
          worker.on("message", (reply: DriverWorkerReply) => {
            record(reply.task, reply.block, "error" in reply ? revive(reply.error) : "analysis" in reply ? reply.analysis : reply.replicates);
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
        runHere(units[last--]!);
        // let the workers' messages in between units
        await new Promise((resolve) => setImmediate(resolve));
      }
      await done;
      return outcomes();
    },
  };
}
