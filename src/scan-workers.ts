/**
 * Both cores for the finance file: helper threads (scan-worker.ts) scan runs of its whole lines
 * while the main thread adds up the records they found, in file order (scan-engine.ts,
 * SegmentScanners). The scan is the same code on the same bytes wherever it runs, and the main
 * thread hands the records on in the file's order, so the report is the same bytes for any number
 * of helpers (none: the main thread scans, as before).
 */
import { Worker } from "node:worker_threads";
import type { SegmentScanners } from "./read/read-csv.js";
import type { SegmentLog, SegmentRequest } from "./read/scan-engine.js";

/** The helper's compiled module, beside this one; absent when running from the TypeScript sources (the tests use scannersHere). */
const WORKER = import.meta.url.endsWith(".js") ? new URL("./scan-worker.js", import.meta.url) : null;

export const scanWorkersAvailable = WORKER !== null;

/** What a helper posts back: a run's log, or why it could not scan it (a bug of ours: the run is then scanned on the main thread). */
export type ScanWorkerReply = { id: number; log: SegmentLog } | { id: number; failure: string };

/** The ArrayBuffers of a log, moved (not copied) to the main thread. */
export function logBuffers(log: SegmentLog): ArrayBuffer[] {
  return [log.events, log.starts, log.ends, log.high, log.hash, log.same, log.numbers, log.months, log.raws].map((array) => array.buffer as ArrayBuffer);
}

/** Runs per helper under way at once: one being scanned, one waiting, so that a helper is never idle for the main thread. */
const RUNS_PER_HELPER = 2;

export interface ScanWorkers extends SegmentScanners {
  /** Lets the helpers go (when the file has been read, or on an error). */
  stop(): void;
}

const running = new Set<ScanWorkers>();

/**
 * Starts n helper threads, ahead of the finance file (they load their code while the survey is
 * read); null from the TypeScript sources or for n < 1. A helper that fails makes its runs fail,
 * and the main thread scans them itself (SegmentRuns.next). They do not keep the process alive.
 */
export function startScanWorkers(n: number): ScanWorkers | null {
  if (WORKER === null || n < 1) return null;
  const helpers: { worker: Worker; waiting: Map<number, { resolve: (log: SegmentLog) => void; reject: (error: Error) => void }> }[] = [];
  for (let h = 0; h < n; h++) {
    const worker = new Worker(WORKER);
    worker.unref();
    const waiting = new Map<number, { resolve: (log: SegmentLog) => void; reject: (error: Error) => void }>();
    const fail = (error: Error): void => {
      for (const pending of waiting.values()) pending.reject(error);
      waiting.clear();
    };
    worker.on("message", (reply: ScanWorkerReply) => {
      const pending = waiting.get(reply.id);
      if (!pending) return;
      waiting.delete(reply.id);
      if ("log" in reply) pending.resolve(reply.log);
      else pending.reject(new Error(reply.failure));
    });
    worker.on("error", fail);
    worker.on("exit", () => fail(new Error("a scan helper thread stopped")));
    helpers.push({ worker, waiting });
  }
  let next = 0;
  // the helper each log came from, to move its arrays back to
  const owners = new WeakMap<SegmentLog, Worker>();
  const workers: ScanWorkers = {
    width: RUNS_PER_HELPER * n,
    scan(request: SegmentRequest): Promise<SegmentLog> {
      // in turn: the runs come back in order from helpers that take the same time for the same bytes
      const helper = helpers[next++ % n]!;
      const id = next;
      return new Promise((resolve, reject) => {
        helper.waiting.set(id, {
          resolve: (log) => {
            owners.set(log, helper.worker);
            resolve(log);
          },
          reject,
        });
        helper.worker.postMessage({ id, request });
      });
    },
    release(log: SegmentLog): void {
      const worker = owners.get(log);
      if (worker !== undefined) worker.postMessage({ id: 0, reused: log }, logBuffers(log));
    },
    stop(): void {
      running.delete(workers);
      for (const { worker } of helpers) void worker.terminate();
    },
  };
  running.add(workers);
  return workers;
}

/** Stops every helper still running (a run that ends in an error). */
export function stopScanWorkers(): void {
  for (const workers of [...running]) workers.stop();
}
