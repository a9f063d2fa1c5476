/**
 * Import of a 50,000-row eval set (CSV and JSONL, a source, a reference and two outputs per row;
 * the JSONL file just under the 10 MB upload limit) through importEvalSet, the use case the upload
 * page's action calls, given the file as a Blob as the action gets it from the form, in a real
 * PostgreSQL (embedded, .data/postgres-bench-import). Prints per format the time against the 10 s
 * target, the time until the first batch was stored (the file is parsed as it is stored), the
 * progress reports seen, the load average, and the process's peak resident memory above what it
 * held before the import (sampled every 10 ms; the file's own bytes were made before).
 * With --expose-gc it also collects garbage after each stored batch and prints the most heap still
 * in use then, which (unlike RSS, which V8 lets grow with garbage) is what the import holds, and
 * the heap still held once the import is over. The Node process's CPU time (user + system) during
 * the import is printed too: on a shared machine it varies less than the wall time.
 * Each import is given an upload id, as the page gives, so its progress is written to the database
 * after each batch; BENCH_NO_PROGRESS=1 leaves that out, to see what it costs.
 * Run it at two sizes to see whether memory grows with the file:
 *   npx tsx bench/import/run.ts [--rows 50000]
 *   node --expose-gc --import tsx bench/import/run.ts --rows 10000
 */
import { randomUUID } from "node:crypto";
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { freePort, startEmbeddedPostgres } from "@/prisma/embedded-postgres";
import { migrate } from "@/prisma/migrate";

const at = process.argv.indexOf("--rows");
const ROWS = at >= 0 ? Number(process.argv[at + 1]) : 50_000;
const TARGET_S = 10;
const MB = 1024 * 1024;

function sentence(i: number) {
  return `The committee approved plan ${i} after a long debate.`;
}
// The same systems for both files (imported outputs attach to items, so they do not collide);
// short names keep the JSONL file, which repeats them on every line, under the 10 MB limit.
function csv(stamp: string) {
  const lines = [`id,source,reference,output:a-${stamp},output:b-${stamp}`];
  for (let i = 0; i < ROWS; i++)
    lines.push(`r${i},"${sentence(i)}","Reference ${i}.","After a debate, plan ${i} passed.","Plan ${i}."`);
  return new TextEncoder().encode(lines.join("\n") + "\n");
}
function jsonl(stamp: string) {
  const lines: string[] = [];
  for (let i = 0; i < ROWS; i++)
    lines.push(
      JSON.stringify({
        id: `r${i}`,
        source: sentence(i),
        reference: `Reference ${i}.`,
        outputs: { [`a-${stamp}`]: `After a debate, plan ${i} passed.`, [`b-${stamp}`]: `Plan ${i}.` },
      }),
    );
  return new TextEncoder().encode(lines.join("\n") + "\n");
}

/**
 * The same file through the streamed parse and batching with a store that does nothing: the heap
 * held by the import's own code, apart from the database client's (Prisma keeps the arguments of
 * its last 100 debug calls, each batch's JSON among them, even with DEBUG off).
 */
async function parseOnlyLiveHeap(file: Blob, format: string): Promise<string> {
  const { storeStreamed } = await import("@/lib/eval-sets/store-streamed");
  global.gc!();
  const base = process.memoryUsage().heapUsed;
  let live = 0;
  await storeStreamed({
    filename: `bench.${format}`,
    body: file,
    dropBadRows: false,
    teacherSystems: [],
    noRowsMessage: "",
    store: async () => {
      global.gc!();
      live = Math.max(live, process.memoryUsage().heapUsed - base);
    },
  });
  return `parse and batch only (no database): live heap after a batch at most +${(live / MB).toFixed(1)} MB`;
}

const db = await startEmbeddedPostgres({
  dataDir: ".data/postgres-bench-import",
  port: await freePort(),
  database: "distil_eval_bench",
});
let ok = true;
try {
  await migrate(db.url);
  process.env.DATABASE_URL = db.url;
  const { prisma } = await import("@/lib/db");
  const { importEvalSet } = await import("@/lib/eval-sets");
  const stamp = Date.now().toString(36);
  const user = await prisma.user.create({
    data: { email: `bench-${stamp}@bench.local`, name: "Bench", role: "ADMIN", pseudonym: `bench-${stamp}` },
    select: { id: true, email: true, name: true, role: true },
  });
  for (const [format, make] of [
    ["csv", csv],
    ["jsonl", jsonl],
  ] as const) {
    const fileStamp = `${stamp}-${format}`;
    const bytes = make(stamp);
    const file = new Blob([bytes]);
    if (global.gc) console.log(`${format}: ${await parseOnlyLiveHeap(file, format)}`);
    global.gc?.();
    const base = process.memoryUsage().rss;
    const baseHeap = process.memoryUsage().heapUsed;
    let liveHeap = 0;
    let peak = base;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
    const t = performance.now();
    const cpuAtStart = process.cpuUsage();
    let firstBatchAt = 0;
    let reports = 0;
    const report = (what: string, seconds = (performance.now() - t) / 1000) =>
      `${format}: ${ROWS} rows (${(bytes.length / MB).toFixed(1)} MB) ${what} ${seconds.toFixed(1)} s ` +
      `(first batch stored at ${(firstBatchAt / 1000).toFixed(1)} s, ${reports} progress reports), ` +
      `peak RSS +${((peak - base) / MB).toFixed(0)} MB over ${(base / MB).toFixed(0)} MB, ` +
      (global.gc ? `live heap after a batch at most +${(liveHeap / MB).toFixed(0)} MB, ` : "") +
      `load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`;
    try {
      const result = await importEvalSet(
        user,
        // With an upload id, as the page sends: progress is written to the database after each batch.
        {
          name: `import-bench-${fileStamp}`,
          filename: `bench.${format}`,
          file,
          uploadId: process.env.BENCH_NO_PROGRESS ? undefined : randomUUID(),
        },
        prisma,
        (p) => {
          reports++;
          // With --expose-gc, the heap still in use after each batch: what the import holds, not garbage.
          if (global.gc && p.phase === "inserting") {
            global.gc();
            liveHeap = Math.max(liveHeap, process.memoryUsage().heapUsed - baseHeap);
          }
          if (p.phase === "inserting" && !firstBatchAt) firstBatchAt = performance.now() - t;
        },
      );
      const seconds = (performance.now() - t) / 1000;
      const cpu = process.cpuUsage(cpuAtStart);
      clearInterval(sampler);
      // What the import leaves behind once it is over (Prisma's debug history kept the last batches).
      global.gc?.();
      const retained = process.memoryUsage().heapUsed - baseHeap;
      const items = await prisma.evalItem.count({ where: { evalSetId: result.evalSetId } });
      const good = items === ROWS && result.outputsImported === ROWS * 2;
      ok = ok && good && seconds < TARGET_S;
      console.log(
        `${report("in", seconds)}; Node CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms` +
          (global.gc ? `, heap still held after the import +${(retained / MB).toFixed(1)} MB` : "") +
          `; ${items} items, ${result.outputsImported} outputs stored${good ? "" : " (WRONG)"}; ` +
          `target < ${TARGET_S} s: ${seconds < TARGET_S ? "MET" : "MISSED"}`,
      );
    } catch (err) {
      clearInterval(sampler);
      ok = false;
      const message = (err instanceof Error ? err.message : String(err)).trim().split("\n").at(-1);
      console.log(`${report("FAILED after")}: ${message}`);
    }
  }
  // Each run's sets go, so the tables (and the time to insert into their indexes) do not grow run after run.
  await prisma.evalSet.deleteMany({ where: { name: { startsWith: `import-bench-${stamp}-` } } });
  await prisma.system.deleteMany({ where: { name: { in: [`a-${stamp}`, `b-${stamp}`] } } });
  await prisma.user.delete({ where: { id: user.id } });
  await prisma.$disconnect();
} finally {
  await db.stop();
}
process.exit(ok ? 0 : 1);
