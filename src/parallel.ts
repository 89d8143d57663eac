/**
 * Both cores: driver analyses (each a regression with 1,000 bootstrap resamples of its
 * importances) run in worker threads while the main thread reads the finance file. The work is cut
 * into units: each analysis without its intervals, and each block of its bootstrap (25 resamples,
 * drawn from the block's own seeded stream). Threads claim units through a shared array (workers
 * from the front, the main thread from the back), so a worker never waits for the main thread to
 * hand it work, and the columns are shared memory, not copies. Every unit is the same pure
 * computation on the same data wherever it runs, and the blocks are merged in order, so the report
 * is the same bytes whatever the number of threads.
 */
import { Worker } from "node:worker_threads";
import { DataError, LoyaltyError, UsageError } from "./errors.js";
import { createRandom } from "./stats/random.js";
import { bootstrapBlockCount, RESAMPLES_PER_BLOCK, type BootstrapBlock, type ImportanceOptions } from "./metrics/driver-importance.js";
import {
  analyzeDrivers,
  driverBlock,
  driversWithoutIntervals,
  planDriverAnalysis,
  withDriverIntervals,
  type DriverColumn,
  type DriverModelKind,
  type DriverPlan,
  type FullDriverAnalysis,
} from "./metrics/drivers.js";

/**
 * One driver analysis (data only: no functions), its columns in shared memory, NaN where a value
 * is missing. The columns can be shared by several tasks: a task with `rows` analyses those rows
 * of them (in that order), gathered when it is planned; one without, every row.
 */
export interface DriverTask {
  outcomeName: string;
  outcome: Float64Array;
  drivers: { name: string; values: Float64Array }[];
  rows: Int32Array | null;
  options: Omit<ImportanceOptions, "onResample"> | null;
  kind: DriverModelKind;
}

/** How many rows the task analyses. */
export function taskRows(task: DriverTask): number {
  return task.rows?.length ?? task.outcome.length;
}

/** A column of n values in shared memory, for a task (NaN for a missing value). */
export function sharedColumn(n: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(8 * Math.max(1, n))).subarray(0, n);
}

/** The task's arguments for planDriverAnalysis and analyzeDrivers: its columns as they are (NaN where missing), or its rows of them gathered. */
function argumentsOf(task: DriverTask): [string, Float64Array, DriverColumn[], DriverTask["options"], DriverModelKind] {
  const { rows } = task;
  const gather = (column: Float64Array) => {
    if (rows === null) return column;
    // a loop, not Float64Array.from with a function (a call per value: 0.7 s for the large survey's groups)
    const values = new Float64Array(rows.length);
    for (let k = 0; k < rows.length; k++) values[k] = column[rows[k]!]!;
    return values;
  };
  return [task.outcomeName, gather(task.outcome), task.drivers.map((d) => ({ name: d.name, values: gather(d.values) })), task.options, task.kind];
}

function planOf(task: DriverTask): DriverPlan {
  return planDriverAnalysis(...argumentsOf(task));
}

/** A task analysed here, from start to end (a group analysed late, as one after another would). */
export function analyzeTask(task: DriverTask): FullDriverAnalysis {
  return analyzeDrivers(...argumentsOf(task));
}

/** What a worker is given once: every task, the units, and the claims (1 where a unit is taken). */
export interface DriverJobMessage {
  tasks: DriverTask[];
  units: { task: number; block: number }[];
  claims: Int32Array;
}

/** Takes unit u if no thread has: true for exactly one thread. */
export function claim(claims: Int32Array, u: number): boolean {
  return Atomics.compareExchange(claims, u, 0, 1) === 0;
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
  | { task: number; block: number; error: WorkerError }
  | { finished: true };

/** The worker's compiled module, beside this one; absent when running from the TypeScript sources (the tests), where tasks run here. */
const WORKER = import.meta.url.endsWith(".js") ? new URL("./drivers-worker.js", import.meta.url) : null;

/** Whether tasks can go to worker threads at all. */
export const workersAvailable = WORKER !== null;

/** Worker threads started ahead of their job (prewarmWorkers), with whether each has stopped. */
const warm: { worker: Worker; stopped: boolean }[] = [];

/** The kind of driver analyses a prewarmed worker rehearses (warmUp): the model and the importances' options, as the tasks will have them. */
export interface Rehearsal {
  kind: DriverModelKind;
  options: DriverTask["options"];
}

/**
 * Starts n worker threads ahead of the driver analyses, so that each loads its code while this
 * thread reads the survey (about 0.1 s of a thread's start) and, given `rehearsal`, runs the
 * analyses' code on made-up data meanwhile (warmUp); startDriverTasks takes them, and lets go of
 * those it does not need. They do not keep the process alive.
 */
export function prewarmWorkers(n: number, rehearsal: Rehearsal | null = null): void {
  if (WORKER === null) return;
  while (warm.length < n) {
    const entry = { worker: new Worker(WORKER, { workerData: { rehearsal } }), stopped: false };
    entry.worker.unref();
    // (a failure shows when the job is given: startDriverTasks then starts a thread anew)
    entry.worker.once("error", () => (entry.stopped = true));
    entry.worker.once("exit", () => (entry.stopped = true));
    warm.push(entry);
  }
}

/** Lets go of the threads prewarmWorkers started and no job took. */
export function releaseWarmWorkers(): void {
  for (const { worker } of warm.splice(0)) void worker.terminate();
}

/** The threads of jobs under way (startDriverTasks), until each job is done. */
const working = new Set<Worker>();

/**
 * Stops every worker thread: those prewarmed and those of a job under way. For a run that ends in
 * an error: a job's threads do not keep the process alive, but a thread still working would, until
 * its units are done (seconds, on a big survey).
 */
export function stopWorkers(): void {
  releaseWarmWorkers();
  for (const worker of working) void worker.terminate();
  working.clear();
}

/** A worker thread for a job: a prewarmed one still running, else a new one. */
function workerForJob(): Worker {
  for (let entry = warm.shift(); entry; entry = warm.shift()) {
    if (!entry.stopped) return entry.worker;
    void entry.worker.terminate();
  }
  return new Worker(WORKER!);
}

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
        current.plan = planOf(data);
      } catch (error) {
        current.error = error;
      }
    }
    if (current.plan === null) throw current.error;
    return block < 0 ? driversWithoutIntervals(current.plan) : driverBlock(current.plan, block);
  };
}

/**
 * The fewest units of a task left for the main thread to start on it (it plans the task first):
 * a plan on code this thread has not run took about 0.15 s on the medium bench survey, some 16
 * blocks of a worker that has, and the two threads share what is left, so about twice that.
 */
const PLAN_WORTH = 32;

/** The made-up data of a rehearsal: rows of five 1-10 ratings (a few missing) and a 0-10 score that follows them, from a fixed seed. */
function rehearsalTasks({ kind, options }: Rehearsal, n: number): DriverTask[] {
  const random = createRandom(0x5eed);
  // in shared memory, as the job's columns are (the same kind of array for the compiled code)
  const outcome = sharedColumn(n);
  const drivers = Array.from({ length: 5 }, (_, j) => ({ name: `rehearsal ${j + 1}`, values: sharedColumn(n) }));
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (const driver of drivers) {
      const rating = 1 + Math.floor(random.next() * 10);
      driver.values[i] = random.next() < 0.02 ? Number.NaN : rating;
      sum += rating;
    }
    const score = Math.min(10, Math.max(0, Math.round(sum / 5 + 3 * random.next() - 1.5)));
    outcome[i] = kind === "logistic" ? (score >= 9 ? 1 : 0) : score;
  }
  // the second analyses every other row, as a group's names its rows
  const rows = new Int32Array(new SharedArrayBuffer(4 * (n >> 1)));
  for (let k = 0; k < rows.length; k++) rows[k] = 2 * k;
  return [null, rows].map((r) => ({ outcomeName: "rehearsal", outcome, drivers, rows: r, options, kind }));
}

/**
 * Runs the driver analyses' code (a plan and two bootstrap blocks of each of two analyses; a
 * logistic model's plans only) on made-up data, one unit at a time, until `stop` says the real
 * job has come. The code is compiled and optimised as it runs, so the job's units start on
 * optimised code: about a fifth more units a second on the medium bench survey (the first plans
 * and blocks ran up to ten times slower than later ones). Nothing is kept: the results are
 * dropped, and the units keep no state between calls, so the job's results are the same bits with
 * or without it. Resolves with the units run.
 */
export function warmUp(rehearsal: Rehearsal, stop: () => boolean): Promise<number> {
  const tasks = rehearsalTasks(rehearsal, 2000);
  // (a logistic model's block refits its 2^p subsets for each resample: 0.4 s a block, too long a step to keep the job waiting)
  const blocks = rehearsal.options === null || rehearsal.kind === "logistic" ? 0 : Math.min(2, bootstrapBlockCount(rehearsal.options.bootstrap ?? 1000));
  const steps = tasks.flatMap((_, task) => Array.from({ length: blocks + 1 }, (_, b) => ({ task, block: b - 1 })));
  const run = unitRunner();
  return new Promise((resolve) => {
    let step = 0;
    const next = () => {
      if (stop() || step >= steps.length) return resolve(step);
      const { task, block } = steps[step]!;
      try {
        run(task, tasks[task]!, block);
      } catch {
        return resolve(step);
      }
      step += 1;
      setImmediate(next);
    };
    setImmediate(next);
  });
}

/** A task's result, or the error it raised (thrown by the caller only where the task would have run one after another). */
export type DriverOutcome = { result: FullDriverAnalysis } | { error: Error };

/** Driver analyses under way: their outcomes in task order, awaited when needed. */
export interface DriverJob {
  result(): Promise<DriverOutcome[]>;
}

/**
 * Starts the tasks on `workers` worker threads (on this thread, at once, when 0 or when workers are
 * not available), each worker claiming the next unit from the front when done. `result()` makes
 * this thread help: it claims units from the back (the smaller group models) until none is left,
 * then waits for the workers. `onProgress` hears how many of all the resamples are done, `onDone`
 * when the last unit is (its columns no longer read here, whatever the workers still hold). The
 * workers do not keep the process alive (an error elsewhere ends the run); `result()` does, until
 * they are done.
 */
export function startDriverTasks(tasks: DriverTask[], workers: number, onProgress?: (done: number, total: number) => void, onDone?: () => void): DriverJob {
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
  const resamplesOf = tasks.map((t) => t.options?.bootstrap ?? 1000);
  // a task's columns are let go once all its units are done (a million responses' ratings: about
  // 100 MB); no closure below refers to `tasks`, so that only `live` keeps them
  const live: (DriverTask | null)[] = [...tasks];
  const unitsLeft = tasks.map(() => 0);
  for (const unit of units) unitsLeft[unit.task]! += 1;
  let resamplesDone = 0;
  let tasksLeft = tasks.length;
  const record = (task: number, block: number, outcome: FullDriverAnalysis | BootstrapBlock | null | Error) => {
    if (--unitsLeft[task]! === 0) {
      live[task] = null;
      if (--tasksLeft === 0) onDone?.();
    }
    if (block < 0) return void (analyses[task] = outcome as FullDriverAnalysis | Error);
    blocks[task]![block] = outcome as BootstrapBlock | null | Error;
    resamplesDone += Math.min(RESAMPLES_PER_BLOCK, resamplesOf[task]! - block * RESAMPLES_PER_BLOCK);
    onProgress?.(resamplesDone, total);
  };
  const here = unitRunner();
  const runHere = (unit: { task: number; block: number }) => {
    let outcome: FullDriverAnalysis | BootstrapBlock | null | Error;
    try {
      outcome = here(unit.task, live[unit.task]!, unit.block);
    } catch (error) {
      outcome = error as Error;
    }
    record(unit.task, unit.block, outcome);
  };
  const outcomes = (): DriverOutcome[] =>
    blocks.map((_, task) => {
      const analysis = analyses[task]!;
      if (analysis instanceof Error) return { error: analysis };
      const failed = blocks[task]!.find((b) => b instanceof Error);
      if (failed instanceof Error) return { error: failed };
      return { result: withDriverIntervals(analysis, blocks[task]!.filter((b): b is BootstrapBlock => b !== null && b !== undefined && !(b instanceof Error))) };
    });
  if (workers <= 0 || WORKER === null || tasks.length === 0) {
    releaseWarmWorkers();
    for (const unit of units) runHere(unit);
    const results = outcomes();
    return { result: async () => results };
  }
  const claims = new Int32Array(new SharedArrayBuffer(4 * units.length));
  // each task's units are together: from firstUnit[task] on
  const firstUnit: number[] = [];
  const unitCount = tasks.map(() => 0);
  units.forEach((unit, u) => {
    firstUnit[unit.task] ??= u;
    unitCount[unit.task]! += 1;
  });
  const unclaimed = (task: number) => {
    let left = 0;
    for (let u = firstUnit[task]!; u < firstUnit[task]! + unitCount[task]!; u++) if (Atomics.load(claims, u) === 0) left++;
    return left;
  };
  let hereTask = -1;
  const pool = Array.from({ length: Math.min(workers, units.length) }, workerForJob);
  for (const worker of pool) working.add(worker);
  releaseWarmWorkers();
  for (const worker of pool) worker.unref();
  const done = Promise.all(
    pool.map(
      (worker) =>
        new Promise<void>((resolve, reject) => {
          worker.on("message", (reply: DriverWorkerReply) => {
            if ("finished" in reply) return resolve();
            record(reply.task, reply.block, "error" in reply ? revive(reply.error) : "analysis" in reply ? reply.analysis : reply.replicates);
          });
          worker.on("error", reject);
          // after resolve, a no-op
          worker.on("exit", (code) => reject(new Error(`a worker thread stopped early (exit code ${code})`)));
          // (no closure here keeps `tasks`: the job's columns go with `live`)
          worker.postMessage({ tasks: live as DriverTask[], units, claims } satisfies DriverJobMessage);
        }),
    ),
  ).finally(() => {
    for (const worker of pool) working.delete(worker);
    return Promise.all(pool.map((worker) => worker.terminate()));
  });
  // handled here; result() rethrows
  done.catch(() => undefined);
  return {
    result: async () => {
      for (const worker of pool) worker.ref();
      // from the back: the smaller group models first; a task not yet planned here only when
      // enough of its units are left to pay for planning it on this thread's cold code (PLAN_WORTH),
      // or none of them is taken (a task without a bootstrap is its plan alone)
      for (let u = units.length - 1; u >= 0; u--) {
        const { task } = units[u]!;
        if (task !== hereTask && unclaimed(task) < Math.min(PLAN_WORTH, unitCount[task]!)) {
          u = firstUnit[task]!;
          continue;
        }
        if (!claim(claims, u)) continue;
        hereTask = task;
        runHere(units[u]!);
        // let the workers' messages in between units
        await new Promise((resolve) => setImmediate(resolve));
      }
      await done;
      return outcomes();
    },
  };
}
