/**
 * Atomic file writes that clean up after themselves: the content goes to a temporary file beside
 * the target (`.NAME.PID.tmp`), which is fsynced, renamed over the target and followed by an
 * fsync of the folder, so a reader (or a crash) sees the old file or the new one, never half of
 * one. The temporary file is removed on every error and, through `removePendingTemporaries`, on
 * SIGINT and SIGTERM; stale ones of dead processes are removed by the next write to the same
 * target. Every failure is an OutputError (exit 2) naming the path and what to do.
 */
import { closeSync, fsyncSync, openSync, unlinkSync } from "node:fs";
import { mkdir, open, readdir, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { OutputError } from "../errors.js";

/** Temporary files being written now, removed when the process is interrupted. */
const pending = new Set<string>();

/** Removes the temporary files of writes still under way (for signal handlers; synchronous). */
export function removePendingTemporaries(): void {
  for (const path of pending) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
  pending.clear();
}

/** The message and advice for a file-system error code when writing `path`. */
export function describeWriteError(path: string, error: unknown): OutputError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reasons: Record<string, [string, string]> = {
    EACCES: ["permission denied", "choose a folder you may write to, or change its permissions"],
    EPERM: ["the operation is not permitted there", "choose a folder you may write to"],
    EROFS: ["the file system is read-only", "write to a folder on a writable disk"],
    ENOSPC: ["the disk is full", "free some space, or write to another disk"],
    EDQUOT: ["the disk quota is used up", "free some space, or write to another disk"],
    EIO: ["the device reported an input/output error", "check the disk, or write elsewhere"],
    EISDIR: ["it is a folder", "give a file name inside it, e.g. " + join(path, "report.json")],
    ENOTDIR: ["a part of the path is a file, not a folder", "check the path"],
    ENOENT: ["the folder does not exist and cannot be created", "check the path"],
    ENAMETOOLONG: ["the name is too long", "choose a shorter path"],
    EEXIST: ["a file is in the way", "check the path"],
  };
  const [reason, hint] = (code && reasons[code]) || [`it cannot be written (${code ?? (error instanceof Error ? error.message : String(error))})`, "check the path"];
  return new OutputError(`cannot write ${path}: ${reason}`, { hint, cause: error });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes `.NAME.PID.tmp` files beside the target left by processes that no longer run. */
async function removeStaleTemporaries(folder: string, name: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(folder);
  } catch {
    return;
  }
  const prefix = `.${name}.`;
  for (const entry of entries) {
    if (!entry.startsWith(prefix) || !entry.endsWith(".tmp")) continue;
    const pid = Number(entry.slice(prefix.length, -".tmp".length));
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || isAlive(pid)) continue;
    await unlink(join(folder, entry)).catch(() => undefined);
  }
}

/** Flushes a folder's entries to disk (the rename), where the platform allows it. */
function fsyncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(folder, "r");
    fsyncSync(fd);
  } catch {
    // some platforms and file systems cannot fsync a folder; the rename itself is still atomic
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Creates a folder and its missing parents, one level at a time: Node's own recursive mkdir loops
 * forever where a level cannot be created although its parent exists (under /proc, for one).
 */
export async function makeFolders(path: string, folder: string): Promise<void> {
  const missing: string[] = [];
  for (let current = folder; ; current = dirname(current)) {
    const info = await stat(current).catch((error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? null : error));
    if (info instanceof Error) throw describeWriteError(path, info);
    if (info) {
      if (!info.isDirectory()) throw describeWriteError(path, Object.assign(new Error("not a folder"), { code: "ENOTDIR" }));
      break;
    }
    missing.unshift(current);
    if (dirname(current) === current) break;
  }
  for (const level of missing) {
    try {
      await mkdir(level);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw describeWriteError(path, error);
    }
  }
}

/**
 * Writes `content` (text, bytes, or pieces of text streamed in order) to `path` atomically (see
 * the module comment); creates missing folders.
 * @throws {OutputError} when the path is a folder or cannot be written, naming it and what to do
 */
export async function writeFileAtomically(path: string, content: string | Uint8Array | Iterable<string>): Promise<void> {
  const target = resolve(path);
  const name = basename(target);
  const folder = dirname(target);
  const existing = await stat(target).catch(() => null);
  if (existing?.isDirectory() || path.endsWith("/") || name === "") {
    throw new OutputError(`cannot write ${path}: it is a folder`, { hint: `give a file name, e.g. ${join(path, "report.json")}` });
  }
  await makeFolders(path, folder);
  await removeStaleTemporaries(folder, name);
  const temporary = join(folder, `.${name}.${process.pid}.tmp`);
  pending.add(temporary);
  try {
    const handle = await open(temporary, "w", existing ? existing.mode & 0o777 : 0o666);
    try {
      if (typeof content === "string" || content instanceof Uint8Array) {
        await handle.writeFile(content);
      } else {
        // streamed in chunks of about 1 MB, so a large generated file is never held whole
        let chunk = "";
        for (const piece of content) {
          chunk += piece;
          if (chunk.length >= 1 << 20) {
            await handle.write(chunk);
            chunk = "";
          }
        }
        if (chunk !== "") await handle.write(chunk);
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
    pending.delete(temporary);
    fsyncFolder(folder);
  } catch (error) {
    pending.delete(temporary);
    await unlink(temporary).catch(() => undefined);
    throw describeWriteError(path, error);
  }
}
