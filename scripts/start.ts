/**
 * `npm start`: the whole app on one machine. Without DATABASE_URL it runs an embedded
 * PostgreSQL in .data/postgres (created on first run, reused after); then it applies the
 * migrations, seeds the first admin and the demo study, builds the app when its sources
 * changed, and serves it with a generation worker beside it. Ctrl-C stops all of it cleanly.
 *
 *   npm start            production build + next start
 *   npm start -- --dev   next dev (hot reload)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { parseEnv } from "@/lib/env";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "@/prisma/embedded-postgres";
import { migrate } from "@/prisma/migrate";
import { buildIsStale, writeBuildFingerprint } from "./build-fingerprint";
import { isLoopback, listenPolicy } from "./listen-policy";

const isDev = process.argv.includes("--dev");
const log = (msg: string) => console.log(`[start] ${msg}`);

const NEXT_BIN = "node_modules/next/dist/bin/next";

// Node itself, not npx, runs the children: signals then reach the real process and Ctrl-C
// leaves nothing behind.
function run(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, args, { stdio: "inherit", env });
}

/** Resolves with the child's exit code, also when it has already exited (an `exit` listener added then never fires). */
function waitFor(child: ChildProcess): Promise<number> {
  const codeOf = (code: number | null, signal: NodeJS.Signals | null) => code ?? (signal ? 1 : 0);
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve(codeOf(child.exitCode, child.signalCode));
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve(codeOf(code, signal))));
}

/** Waits at most `ms`; shutdown must never hang on a step (a crashed PostgreSQL never answers its stop). */
function withDeadline(promise: Promise<unknown>, ms: number, what: string): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      log(`${what} did not finish within ${ms / 1000}s; going on`);
      resolve();
    }, ms);
    promise.then(
      () => (clearTimeout(timer), resolve()),
      (err: unknown) => {
        clearTimeout(timer);
        log(`${what} failed: ${err instanceof Error ? err.message : String(err)}`);
        resolve();
      },
    );
  });
}

async function main() {
  if (existsSync(".env")) process.loadEnvFile(".env");
  const port = Number(process.env.PORT ?? 3000);
  let embedded: EmbeddedDatabase | undefined;
  if (!process.env.DATABASE_URL) {
    const dbPort = Number(process.env.EMBEDDED_DB_PORT ?? 5433);
    const dataDir = process.env.EMBEDDED_DB_DIR ?? ".data/postgres";
    log(`no DATABASE_URL: starting embedded PostgreSQL in ${dataDir} on port ${dbPort}`);
    embedded = await startEmbeddedPostgres({
      dataDir,
      port: dbPort,
      database: process.env.EMBEDDED_DB_NAME ?? "distil_eval",
    });
    process.env.DATABASE_URL = embedded.url;
    log(`connect with: psql "${embedded.url}"`);
  }
  // A local demo (embedded database, loopback only) may keep the development defaults of
  // .env.example (lib/env.ts); anything reachable from the network may not.
  const { host, isLocalDemo } = listenPolicy({
    host: process.env.HOST,
    isEmbeddedDb: Boolean(embedded),
    adminPassword: process.env.ADMIN_PASSWORD,
    nextAuthSecret: process.env.NEXTAUTH_SECRET,
  });
  if (isLocalDemo) process.env.LOCAL_DEMO = "1";
  else delete process.env.LOCAL_DEMO;
  process.env.NEXTAUTH_URL ??= `http://localhost:${port}`;
  const env = parseEnv({ ...process.env, NODE_ENV: isDev ? "development" : "production" }); // every problem listed

  const migrations = await migrate(env.DATABASE_URL!);
  log(`migrations: ${migrations.applied.length} applied, ${migrations.alreadyApplied.length} already in place`);
  const { seed } = await import("@/prisma/seed");
  const report = await seed({ withDemo: process.env.SEED_DEMO !== "0" });
  log(
    `seed: admin ${report.admin.email}${report.admin.created ? " created" : " present"}; demo users created: ${report.demoUsersCreated}; students found: ${report.students.join(", ") || "none"}`,
  );
  if (report.demoStudy)
    log(
      report.demoStudy.id
        ? `demo study ${report.demoStudy.created ? "created" : "present"}${report.simulatedRatingsCreated ? ` (+${report.simulatedRatingsCreated} simulated ratings)` : ""}`
        : `no demo study: ${report.demoStudy.skipped}`,
    );
  const { prisma } = await import("@/lib/db");
  await prisma.$disconnect();

  const childEnv = { ...process.env, PORT: String(port), HOST: host, NEXT_TELEMETRY_DISABLED: "1" };
  if (!isDev && (process.env.FORCE_BUILD === "1" || (await buildIsStale()))) {
    log("building the app (sources changed since the last build)…");
    const code = await waitFor(run([NEXT_BIN, "build"], { ...childEnv, NODE_ENV: "production" }));
    if (code !== 0) throw new Error(`next build failed with exit code ${code}`);
    await writeBuildFingerprint();
  }
  const web = run(["--import", "tsx", "scripts/serve.ts", ...(isDev ? ["--dev"] : [])], {
    ...childEnv,
    NODE_ENV: isDev ? "development" : "production",
  });
  let worker: ChildProcess | undefined;
  log(`app: http://${isLoopback(host) ? "localhost" : host}:${port}  (admin: ${env.ADMIN_EMAIL})`);

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    const children = [web, worker].filter((c): c is ChildProcess => !!c);
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGTERM");
    await withDeadline(Promise.all(children.map(waitFor)), 10_000, "stopping the web server and worker");
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    if (embedded) {
      log("stopping embedded PostgreSQL");
      await withDeadline(embedded.stop(), 15_000, "stopping embedded PostgreSQL");
    }
    process.exit(code);
  };
  // From here on the supervisor alone decides when to exit: children first, then PostgreSQL.
  // embedded-postgres registers async-exit-hook's SIGINT/SIGTERM handlers, which stop the database
  // and exit at once; with PostgreSQL already dead that exit (0.2 s) came before the children's.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void stop(0));
  }

  // The web server is the app: if it dies, stop everything and exit non-zero so that an outer
  // supervisor (systemd, Docker, CI) sees it.
  void waitFor(web).then((code) => {
    if (stopping) return;
    log(`web server exited (code ${code}); stopping`);
    void stop(code || 1);
  });

  // The worker is restarted when it dies, with a back-off that resets after a minute of uptime;
  // its jobs' leases expire and it (or another worker) resumes them.
  if (process.env.START_WORKER !== "0") {
    let restarts = 0;
    const startWorker = () => {
      const startedAt = Date.now();
      worker = run(["--import", "tsx", "scripts/worker.ts"], childEnv);
      void waitFor(worker).then((code) => {
        if (stopping) return;
        if (Date.now() - startedAt > 60_000) restarts = 0;
        const delayMs = Math.min(30_000, 1000 * 2 ** restarts++);
        log(`worker exited (code ${code}); restarting in ${delayMs / 1000}s (restart ${restarts})`);
        setTimeout(() => !stopping && startWorker(), delayMs).unref();
      });
    };
    startWorker();
  }
}

main().catch((err) => {
  console.error(`[start] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
