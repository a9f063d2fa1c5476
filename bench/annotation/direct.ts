/**
 * The annotation use cases called in-process (no HTTP, no session), on the bench's 20,000-pair
 * study, with pg_stat_statements on: where the database time of one claim and one submit goes.
 *   npx tsx bench/annotation/direct.ts [--loopers=20] [--seconds=15] [--profile=FILE.cpuprofile]
 */
import { performance } from "node:perf_hooks";
import pg from "pg";
import { freePort, startEmbeddedPostgres } from "@/prisma/embedded-postgres";
import { migrate } from "@/prisma/migrate";
import { postmasterPid, treeCpuSeconds } from "./cpu";
import { buildStudy, checkInvariants } from "./study";

const arg = (name: string, dflt: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? dflt);
const LOOPERS = arg("loopers", 20);
const SECONDS = arg("seconds", 15);

const port = await freePort();
const start = () => startEmbeddedPostgres({ dataDir: ".data/postgres-bench-direct", port, database: "bench_direct" });
let db = await start();
let admin = new pg.Client({ connectionString: db.url });
await admin.connect();
const preload = await admin.query("SHOW shared_preload_libraries");
if (!String(preload.rows[0].shared_preload_libraries).includes("pg_stat_statements")) {
  // First use of this cluster: load pg_stat_statements, which takes a restart.
  await admin.query("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
  await admin.end();
  await db.stop();
  db = await start();
  admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
}
process.env.DATABASE_URL = db.url;
process.env.DATABASE_POOL_SIZE = "20";
await migrate(db.url);
await admin.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
// Planning time too: every statement the client sends unnamed is parsed and planned afresh.
await admin.query("ALTER SYSTEM SET pg_stat_statements.track_planning = on");
await admin.query("SELECT pg_reload_conf()");
const study = await buildStudy(admin, { tag: `direct-${Date.now()}`, items: 5000, students: 4, annotators: 200, k: 3 });
const { getNextItem, submitRating } = await import("@/lib/annotation");
const { prisma } = await import("@/lib/db");
const users = (
  await admin.query(`SELECT "id", "email", "name" FROM "User" WHERE "email" = ANY($1)`, [
    study.annotators.map((a) => a.email),
  ])
).rows.map((u) => ({
  id: u.id as string,
  role: "ANNOTATOR" as const,
  email: u.email as string,
  name: u.name as string,
}));
const { DEFAULT_CRITERIA } = await import("@/lib/studies");
const scores = Object.fromEntries(DEFAULT_CRITERIA.map((c) => [c.key, { left: 4, right: 3 }]));

const times = { claim: [] as number[], submit: [] as number[] };
async function loop(actor: (typeof users)[number], until: number) {
  while (performance.now() < until) {
    let t = performance.now();
    const next = await getNextItem(actor, { studyId: study.studyId });
    times.claim.push(performance.now() - t);
    if (next.state !== "item") return;
    t = performance.now();
    await submitRating(actor, {
      assignmentId: next.item.assignmentId,
      instructionsVersionId: study.versionId,
      scores,
      preference: "LEFT",
      activeMs: 4000,
    });
    times.submit.push(performance.now() - t);
  }
}
// warm-up
await Promise.all(users.slice(100, 110).map((u) => loop(u, performance.now() + 2000)));
times.claim = [];
times.submit = [];
await admin.query("SELECT pg_stat_statements_reset()");
const profile = process.argv.find((a) => a.startsWith("--profile="))?.split("=")[1];
const inspector = profile ? new (await import("node:inspector/promises")).Session() : null;
if (inspector) {
  inspector.connect();
  await inspector.post("Profiler.enable");
  await inspector.post("Profiler.start");
}
const cpu0 = process.cpuUsage();
const postmaster = postmasterPid(db.dataDir)!;
const pg0 = treeCpuSeconds(postmaster);
const t0 = performance.now();
await Promise.all(users.slice(0, LOOPERS).map((u) => loop(u, t0 + SECONDS * 1000)));
const secs = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const pgCpu = treeCpuSeconds(postmaster) - pg0;
if (inspector) {
  const { profile: prof } = await inspector.post("Profiler.stop");
  (await import("node:fs")).writeFileSync(profile!, JSON.stringify(prof));
}
const n = times.submit.length;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor((p / 100) * xs.length)] ?? NaN;
console.log(
  `${LOOPERS} loopers, ${secs.toFixed(1)} s: ${n} claim+submit (${(n / secs).toFixed(1)}/s); claim p50 ${pct(times.claim, 50).toFixed(1)} ms, submit p50 ${pct(times.submit, 50).toFixed(1)} ms`,
);
console.log(
  `CPU per claim+submit: node ${((cpu.user + cpu.system) / 1000 / n).toFixed(2)} ms, postgres ${((pgCpu * 1000) / n).toFixed(2)} ms; load ${(await import("node:os")).loadavg()[0].toFixed(2)}`,
);
const top = await admin.query(
  `SELECT calls, plans, round(total_exec_time::numeric, 1) AS total_ms, round(mean_exec_time::numeric, 3) AS mean_ms,
          round(mean_plan_time::numeric, 3) AS plan_ms,
          round(shared_blks_hit::numeric / GREATEST(calls,1), 1) AS blks, left(regexp_replace(query, '\\s+', ' ', 'g'), 160) AS q
   FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
   ORDER BY total_exec_time DESC LIMIT 25`,
);
for (const r of top.rows)
  console.log(
    `${String(r.calls).padStart(6)} (${String(r.plans).padStart(5)} plans) ${String(r.total_ms).padStart(9)} ms ${String(r.mean_ms).padStart(8)} ms/call plan ${String(r.plan_ms).padStart(6)} ms ${String(r.blks).padStart(7)} blk  ${r.q}`,
  );
console.log("invariants:", (await checkInvariants(admin, study)).join("; ") || "all hold");
await prisma.$disconnect();
await admin.end();
await db.stop();
