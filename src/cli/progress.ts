/**
 * The progress bar on standard error (cli-progress): for reading a file (with rows per second) and
 * for the bootstrap. Made only when standard error is a terminal, and not with --no-progress or
 * --quiet; a pipe or a CI log gets nothing (shared/ECOSYSTEM.md section 6).
 */
import type { Progress } from "../pipeline.js";

type CliProgress = typeof import("cli-progress");

/** Loads cli-progress and returns a Progress that draws on `stream`. */
export async function terminalProgress(stream: NodeJS.WriteStream): Promise<Progress> {
  const { SingleBar } = (await import("cli-progress")) as CliProgress;
  let bar: InstanceType<CliProgress["SingleBar"]> | null = null;
  let started = 0;
  let unit: "bytes" | "resamples" = "bytes";
  return {
    start(task, total, taskUnit) {
      unit = taskUnit;
      started = Date.now();
      bar = new SingleBar(
        {
          stream,
          format: `${task.length > 36 ? `${task.slice(0, 35)}…` : task} {bar} {percentage}% | {detail} | ETA {eta_formatted}`,
          barsize: 24,
          hideCursor: true,
          clearOnComplete: true,
          fps: 8,
          etaBuffer: 50,
        },
        { barCompleteChar: "█", barIncompleteChar: "░" } as never,
      );
      bar.start(total, 0, { detail: "" });
    },
    update(done, rows) {
      if (!bar) return;
      const seconds = Math.max(0.001, (Date.now() - started) / 1000);
      const detail =
        unit === "bytes"
          ? `${(rows ?? 0).toLocaleString("en-US")} rows, ${Math.round((rows ?? 0) / seconds).toLocaleString("en-US")} rows/s`
          : `${done.toLocaleString("en-US")} resamples`;
      bar.update(done, { detail });
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
