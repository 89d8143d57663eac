/**
 * Where loyalty's own files are (package.json, the bundled sample data): the folder of its
 * package.json, found upwards from this module, so the same whether the code runs from src/ (the
 * tests), from dist/ (tsc's output) or from dist/bundle/ (the CLI's bundle, scripts/bundle.mjs).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let root: string | null = null;

export function packageRoot(): string {
  if (root !== null) return root;
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "loyalty") return (root = dir);
    if (dirname(dir) === dir) throw new Error(`internal: loyalty's package.json is not in ${start} or a folder above it`);
  }
}

/** The version in loyalty's package.json. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
}
