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

const isDev = process.argv.includes("--dev");
const log = (msg: string) => console.log(`[start] ${msg}`);

const NEXT_BIN = "node_modules/next/dist/bin/next";

// Node itself, not npx, runs the children: signals then reach the real process and Ctrl-C
// leaves nothing behind.
function run(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, args, { stdio: "inherit", env });
}

function waitFor(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
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
    process.env.LOCAL_DEMO = "1"; // lets the development defaults of .env.example through (lib/env.ts)
    log(`connect with: psql "${embedded.url}"`);
  }
  process.env.NEXTAUTH_URL ??= `http://localhost:${port}`;
  const env = parseEnv(process.env); // fails here, at start-up, with every problem listed

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

  const childEnv = { ...process.env, PORT: String(port), NEXT_TELEMETRY_DISABLED: "1" };
  if (!isDev && (process.env.FORCE_BUILD === "1" || (await buildIsStale()))) {
    log("building the app (sources changed since the last build)…");
    const code = await waitFor(run([NEXT_BIN, "build"], { ...childEnv, NODE_ENV: "production" }));
    if (code !== 0) throw new Error(`next build failed with exit code ${code}`);
    await writeBuildFingerprint();
  }
  const children: ChildProcess[] = [run([NEXT_BIN, isDev ? "dev" : "start", "-p", String(port)], childEnv)];
  if (process.env.START_WORKER !== "0") children.push(run(["--import", "tsx", "scripts/worker.ts"], childEnv));
  log(`app: http://localhost:${port}  (admin: ${env.ADMIN_EMAIL})`);

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
    await Promise.all(children.map((c) => (c.exitCode === null ? waitFor(c) : Promise.resolve(0))));
    if (embedded) {
      log("stopping embedded PostgreSQL");
      await embedded.stop();
    }
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  // If any child dies, take the rest down too rather than run half an app.
  for (const c of children) void waitFor(c).then((code) => stop(stopping ? 0 : code || 1));
}

main().catch((err) => {
  console.error(`[start] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
