/**
 * A throwaway PostgreSQL server for the tests: Debian's postgresql package (.ci/run installs it),
 * a new cluster in a temporary folder, listening on a Unix socket only (no TCP), trust
 * authentication, stopped and removed by `stop`. psql runs the SQL, as an analyst would:
 * `psql --csv -c "…"` prints a query's result as CSV with its header.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Postgres {
  /** Runs SQL (psql -c), and returns what psql printed (CSV with a header for a query). */
  sql(text: string): string;
  /** Loads a CSV file (with a header) into an existing table, client-side (psql \copy). */
  copyIn(table: string, file: string): void;
  stop(): void;
}

/** The binaries of the newest PostgreSQL installed under /usr/lib/postgresql; null when there is none. */
export function postgresBin(): string | null {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a));
  return versions.length === 0 ? null : join(root, versions[0]!, "bin");
}

export function startPostgres(): Postgres {
  const bin = postgresBin();
  if (bin === null) throw new Error("PostgreSQL is not installed: apt-get install postgresql (.ci/run does)");
  const root = mkdtempSync(join(tmpdir(), "loyalty-pg-"));
  const data = join(root, "data");
  // the server refuses to run as root: as root, the cluster belongs to the package's postgres user
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim()) : null;
  if (owner !== null) {
    chownSync(root, owner, Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim()));
    chmodSync(root, 0o755);
  }
  const run = (command: string, args: string[]) => {
    const [file, list] = asRoot ? ["runuser", ["-u", "postgres", "--", join(bin, command), ...args]] : [join(bin, command), args];
    const result = spawnSync(file, list, { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`${command} failed (${result.status}): ${result.stderr || result.stdout}`);
    return result.stdout;
  };
  run("initdb", ["-D", data, "--auth=trust", "-U", "postgres", "--encoding=UTF8", "--locale=C"]);
  const port = String(20000 + (process.pid % 20000));
  run("pg_ctl", ["-D", data, "-w", "-l", join(root, "log"), "-o", `-k ${root} -c listen_addresses='' -p ${port} -c fsync=off`, "start"]);
  const psql = (args: string[]) => {
    const result = spawnSync(join(bin, "psql"), ["-h", root, "-p", port, "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-X", "-q", ...args], { encoding: "utf8", maxBuffer: 1 << 30 });
    if (result.status !== 0) throw new Error(`psql failed (${result.status}): ${result.stderr}`);
    return result.stdout;
  };
  return {
    sql: (text) => psql(["--csv", "-c", text]),
    copyIn: (table, file) => {
      psql(["-c", `\\copy ${table} FROM '${file.replace(/'/g, "''")}' WITH (FORMAT csv, HEADER true)`]);
    },
    stop: () => {
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "stop"]);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}
