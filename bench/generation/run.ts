/**
 * Generation over many workers: a teacher job of 20,000 items against the loopback chat server
 * (lib/llm/testing/fake-chat-server.ts) answering each call in 50 ms, run by 1 and then by 2
 * `npm run worker` processes sharing one PostgreSQL (embedded, .data/postgres-bench-generation).
 * Throughput is the job's items over its own time (startedAt to finishedAt, so worker start-up is
 * left out); the ratio 2 workers / 1 worker is printed against the 1.8x target. After each run it
 * checks: every item has exactly n outputs, every item was sent to the teacher once, the
 * teacher never saw more calls at once than its limit, every chunk is done and no slot is held.
 * It also prints the CPU time each part spent on the job, per item: the worker processes, the
 * PostgreSQL server (all its processes) and this process (the fake chat server, mostly), read
 * from /proc (Linux) and process.cpuUsage, with the load average.
 *   npx tsx bench/generation/run.ts [--items 20000] [--delay 50] [--limit 64] [--workers 1,2]
 *     [--pg-stats]   the statements PostgreSQL ran most (pg_stat_statements), per item
 *     [--cpu-prof]   workers write V8 CPU profiles to .data/cpu-prof/ (open in Chrome DevTools)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { cpus, loadavg } from "node:os";
import { createInterface } from "node:readline";
import { freePort, startEmbeddedPostgres } from "@/prisma/embedded-postgres";
import { migrate } from "@/prisma/migrate";
import { startFakeChatServer } from "@/lib/llm/testing/fake-chat-server";

const arg = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : fallback;
};
const ITEMS = Number(arg("items", "20000"));
const DELAY_MS = Number(arg("delay", "50"));
const LIMIT = Number(arg("limit", "64"));
const WORKER_COUNTS = arg("workers", "1,2").split(",").map(Number);
const N = 2;
const TARGET_RATIO = 1.8;
const KEY_ENV = "LLM_KEY_BENCH_TEACHER";
const PG_STATS = process.argv.includes("--pg-stats");
const CPU_PROF = process.argv.includes("--cpu-prof");

const db = await startEmbeddedPostgres({
  dataDir: ".data/postgres-bench-generation",
  port: await freePort(),
  database: "distil_eval_bench",
  extraFlags: PG_STATS ? ["-c", "shared_preload_libraries=pg_stat_statements"] : [],
});
const server = await startFakeChatServer({
  defaultReply: { type: "paraphrases", format: "numbered", delayMs: DELAY_MS },
});
const workers: ChildProcess[] = [];
let ok = true;
try {
  await migrate(db.url);
  process.env.DATABASE_URL = db.url;
  const { prisma } = await import("@/lib/db");
  if (PG_STATS) await prisma.$executeRawUnsafe("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
  const { startGeneration } = await import("@/lib/generation");
  const stamp = Date.now().toString(36);
  const user = await prisma.user.create({
    data: { email: `bench-${stamp}@bench.local`, name: "Bench", role: "ADMIN", pseudonym: `bench-${stamp}` },
    select: { id: true, email: true, name: true, role: true },
  });
  const set = await prisma.evalSet.create({ data: { name: `generation-bench-${stamp}` }, select: { id: true } });
  await prisma.$executeRaw`
    INSERT INTO "EvalItem" ("id", "evalSetId", "externalId", "position", "source", "references")
    SELECT gen_random_uuid(), ${set.id}::uuid, 'i' || g, g,
           'Bench sentence number ' || g || ' was written about topic ' || (g % 97) || ' for the workers.', '{}'
    FROM generate_series(0, ${ITEMS - 1}) g`;
  console.log(
    `${ITEMS} items, teacher answering in ${DELAY_MS} ms, limit ${LIMIT} calls at once across all workers, n = ${N}; ` +
      `${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)}`,
  );

  const rates = new Map<number, number>();
  const cpuPerItem = new Map<number, number>();
  for (const count of WORKER_COUNTS) {
    const system = await prisma.system.create({
      data: {
        name: `bench-teacher-${stamp}-${count}`,
        role: "TEACHER",
        kind: "LLM_API",
        baseUrl: server.baseUrl,
        modelName: "fake-teacher",
        apiKeyEnv: KEY_ENV,
        maxConcurrency: LIMIT,
        defaultSettings: { n: N, temperature: 0 },
      },
      select: { id: true },
    });
    // Every worker is up and polling before the job is queued, so start-up is not timed.
    const ready = Array.from({ length: count }, () => startWorker(db.url));
    await Promise.all(ready.map((w) => w.ready));
    server.reset();
    if (PG_STATS) await prisma.$queryRawUnsafe("SELECT pg_stat_statements_reset()");
    const cpuBefore = cpuNow(ready);
    const { jobId } = await startGeneration(user, { evalSetId: set.id, systemId: system.id });
    let job = await prisma.job.findUniqueOrThrow({ where: { id: jobId } });
    while (job.status === "QUEUED" || job.status === "RUNNING") {
      await new Promise((r) => setTimeout(r, 250));
      job = await prisma.job.findUniqueOrThrow({ where: { id: jobId } });
    }
    const cpuAfter = cpuNow(ready);
    const load = loadavg()[0];
    await Promise.all(ready.map((w) => w.stop()));
    const perItem = (k: keyof CpuSnapshot) => ((cpuAfter[k] - cpuBefore[k]) / ITEMS).toFixed(2);
    cpuPerItem.set(count, (cpuAfter.total - cpuBefore.total) / ITEMS);
    const cpuLine =
      `  CPU ms per item: workers ${perItem("workers")}, PostgreSQL ${perItem("postgres")}, ` +
      `bench + fake server ${perItem("bench")}; total ${perItem("total")} (load average ${load.toFixed(1)})`;
    if (PG_STATS) {
      const top = await prisma.$queryRawUnsafe<{ calls: bigint; ms: number; query: string }[]>(
        `SELECT calls, total_exec_time AS ms, regexp_replace(query, '\\s+', ' ', 'g') AS query
         FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%' ORDER BY total_exec_time DESC LIMIT 12`,
      );
      for (const t of top)
        console.log(
          `  pg: ${(Number(t.calls) / ITEMS).toFixed(3)} calls/item, ${(t.ms / ITEMS).toFixed(3)} ms/item: ${t.query.slice(0, 140)}`,
        );
    }
    const seconds = (job.finishedAt!.getTime() - job.startedAt!.getTime()) / 1000;
    const rate = ITEMS / seconds;
    rates.set(count, rate);

    // Invariants
    const [outputs] = await prisma.$queryRaw<{ items: bigint; wrong: bigint; total: bigint }[]>`
      SELECT count(*) AS items, count(*) FILTER (WHERE c <> ${N}) AS wrong, COALESCE(sum(c), 0) AS total
      FROM (SELECT count(*)::int AS c FROM "Output" WHERE "systemId" = ${system.id}::uuid GROUP BY "itemId") x`;
    const calls = new Map<string, number>();
    for (const r of server.requests) {
      const m = r.prompt?.match(/Bench sentence number (\d+) /);
      if (m) calls.set(m[1], (calls.get(m[1]) ?? 0) + 1);
    }
    const askedTwice = [...calls.values()].filter((c) => c > 1).length;
    const openChunks = await prisma.jobChunk.count({ where: { jobId, status: { not: "DONE" } } });
    const heldSlots = await prisma.concurrencySlot.count({
      where: { key: `system:${system.id}`, holder: { not: null } },
    });
    const checks = {
      "job succeeded": job.status === "SUCCEEDED" && job.progressDone === ITEMS && job.errorCount === 0,
      [`every item has exactly ${N} outputs`]:
        Number(outputs.items) === ITEMS && Number(outputs.wrong) === 0 && Number(outputs.total) === ITEMS * N,
      "every item sent to the teacher once": calls.size === ITEMS && askedTwice === 0,
      [`at most ${LIMIT} calls at once (saw ${server.maxInFlight})`]: server.maxInFlight <= LIMIT,
      "every chunk done, no slot held": openChunks === 0 && heldSlots === 0,
    };
    const failed = Object.entries(checks).filter(([, v]) => !v);
    ok = ok && failed.length === 0;
    console.log(
      `${count} worker${count === 1 ? "" : "s"}: ${ITEMS} items in ${seconds.toFixed(1)} s = ${rate.toFixed(0)} items/s ` +
        `(${job.chunkCount} chunks, most calls at once ${server.maxInFlight}); invariants: ` +
        (failed.length ? `FAILED: ${failed.map(([k]) => k).join("; ")}` : "all hold"),
    );
    console.log(cpuLine);
  }
  const one = rates.get(1);
  const two = rates.get(2);
  if (one && two) {
    const ratio = two / one;
    console.log(
      `2 workers / 1 worker: ${ratio.toFixed(2)}x; target >= ${TARGET_RATIO}x: ${ratio >= TARGET_RATIO ? "MET" : "MISSED"} ` +
        `(load average now ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs)`,
    );
    ok = ok && ratio >= TARGET_RATIO;
    // What these cores allow at most: every part's CPU per item (2 workers' run) on all of them,
    // with nothing else running, and no more than the limit's calls per teacher delay.
    const cpu = cpuPerItem.get(2)!;
    const byCpu = (cpus().length * 1000) / cpu;
    const byLimit = LIMIT / (DELAY_MS / 1000);
    const ceiling = Math.min(byCpu, byLimit);
    console.log(
      `ceiling: ${byCpu.toFixed(0)} items/s from ${cpu.toFixed(2)} CPU ms per item on ${cpus().length} CPUs, ` +
        `${byLimit.toFixed(0)} from the teacher's limit; ${(ceiling / one).toFixed(2)}x the 1-worker run ` +
        `(on an idle machine; others' load lowers it)`,
    );
  }
  await prisma.$disconnect();
} finally {
  for (const w of workers) w.kill("SIGKILL");
  await server.close();
  await db.stop();
}
process.exit(ok ? 0 : 1);

/** One `npm run worker` process (tsx as a loader, so a signal reaches the worker itself). */
function startWorker(databaseUrl: string) {
  const prof = CPU_PROF ? ["--cpu-prof", "--cpu-prof-dir=.data/cpu-prof"] : [];
  const child = spawn(process.execPath, [...prof, "--import", "tsx", "scripts/worker.ts"], {
    env: { ...process.env, DATABASE_URL: databaseUrl, WORKER_POLL_MS: "100", [KEY_ENV]: "sk-bench" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  workers.push(child);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (line.includes("waiting for jobs")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`worker exited with ${code} before it was ready`)));
  });
  return {
    pid: child.pid!,
    ready,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

interface CpuSnapshot {
  workers: number;
  postgres: number;
  bench: number;
  total: number;
}

/** CPU milliseconds (user + system) so far of the workers, the PostgreSQL server and this process. */
function cpuNow(running: { pid: number }[]): CpuSnapshot {
  const workers = running.reduce((s, w) => s + procCpuMs(w.pid, false), 0);
  const postgres = postgresCpuMs();
  const own = process.cpuUsage();
  const bench = (own.user + own.system) / 1000;
  return { workers, postgres, bench, total: workers + postgres + bench };
}

/** utime + stime of a process from /proc/<pid>/stat; with `reaped`, also its waited-for children's. */
function procCpuMs(pid: number, reaped: boolean): number {
  const TICK_MS = 10; // USER_HZ is 100 on Linux (a function's constant: this runs before module-level ones below)
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // f[0] is field 3 (state)
    const ticks = Number(f[11]) + Number(f[12]) + (reaped ? Number(f[13]) + Number(f[14]) : 0);
    return ticks * TICK_MS;
  } catch {
    return 0;
  }
}

/** The postmaster (with its exited backends) and every live child of it. */
function postgresCpuMs(): number {
  const postmaster = Number(readFileSync(path.join(db.dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
  let ms = procCpuMs(postmaster, true);
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === postmaster) ms += procCpuMs(Number(name), false);
    } catch {
      // gone meanwhile
    }
  }
  return ms;
}
