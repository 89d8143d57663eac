/**
 * A helper thread that scans runs of a file's whole lines for the main thread (scan-workers.ts):
 * each message a run (SegmentRequest, its bytes in shared memory), each reply what the scanner
 * found in it (SegmentLog), its arrays moved, not copied, and moved back to be filled again once
 * the main thread has handed the records on.
 */
import { parentPort } from "node:worker_threads";
import { segmentScanner, type SegmentLog, type SegmentRequest } from "./read/scan-engine.js";
import { logBuffers, type ScanWorkerReply } from "./scan-workers.js";

const port = parentPort!;
const { scan, reuse } = segmentScanner();
port.on("message", ({ id, request, reused }: { id: number; request?: SegmentRequest; reused?: SegmentLog }) => {
  if (reused !== undefined) return reuse(reused);
  if (request === undefined) return;
  try {
    const log = scan(request);
    port.postMessage({ id, log } satisfies ScanWorkerReply, logBuffers(log));
  } catch (error) {
    port.postMessage({ id, failure: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies ScanWorkerReply);
  }
});
