/**
 * Import of a 50,000-row eval set (CSV and JSONL, a source, a reference and two outputs per row)
 * through importEvalSet, the use case the upload page's action calls, in a real PostgreSQL
 * (embedded, .data/postgres-bench-import). Prints the time per format against the 10 s target and
 * the process's peak resident memory above what it held before the import (sampled every 10 ms).
 * It measures the import path as it is; it does not stream (issue 15, item 2 is not done).
 *   npx tsx bench/import/run.ts [--rows 50000]
 */
import { performance } from "node:perf_hooks";
import { freePort, startEmbeddedPostgres } from "@/prisma/embedded-postgres";
import { migrate } from "@/prisma/migrate";

const at = process.argv.indexOf("--rows");
const ROWS = at >= 0 ? Number(process.argv[at + 1]) : 50_000;
const TARGET_S = 10;
const MB = 1024 * 1024;

function sentence(i: number) {
  return `Row ${i} says that the committee approved the plan about topic ${i % 97} after a long debate.`;
}
function csv(stamp: string) {
  const lines = [`id,source,reference,output:bench-a-${stamp},output:bench-b-${stamp}`];
  for (let i = 0; i < ROWS; i++)
    lines.push(
      `r${i},"${sentence(i)}","A reference for row ${i}.","After a long debate, plan ${i} passed.","Plan ${i}."`,
    );
  return new TextEncoder().encode(lines.join("\n") + "\n");
}
function jsonl(stamp: string) {
  const lines: string[] = [];
  for (let i = 0; i < ROWS; i++)
    lines.push(
      JSON.stringify({
        id: `r${i}`,
        source: sentence(i),
        references: [`A reference for row ${i}.`],
        outputs: { [`bench-a-${stamp}`]: `After a long debate, plan ${i} passed.`, [`bench-b-${stamp}`]: `Plan ${i}.` },
      }),
    );
  return new TextEncoder().encode(lines.join("\n") + "\n");
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
    const bytes = make(fileStamp);
    global.gc?.();
    const base = process.memoryUsage().rss;
    let peak = base;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
    const t = performance.now();
    const report = (what: string, seconds = (performance.now() - t) / 1000) =>
      `${format}: ${ROWS} rows (${(bytes.length / MB).toFixed(1)} MB) ${what} ${seconds.toFixed(1)} s, ` +
      `peak RSS +${((peak - base) / MB).toFixed(0)} MB over ${(base / MB).toFixed(0)} MB`;
    try {
      const result = await importEvalSet(user, {
        name: `import-bench-${fileStamp}`,
        filename: `bench.${format}`,
        bytes,
      });
      const seconds = (performance.now() - t) / 1000;
      clearInterval(sampler);
      const items = await prisma.evalItem.count({ where: { evalSetId: result.evalSetId } });
      const good = items === ROWS && result.outputsImported === ROWS * 2;
      ok = ok && good && seconds < TARGET_S;
      console.log(
        `${report("in", seconds)}; ${items} items, ${result.outputsImported} outputs stored${good ? "" : " (WRONG)"}; ` +
          `target < ${TARGET_S} s: ${seconds < TARGET_S ? "MET" : "MISSED"}`,
      );
    } catch (err) {
      clearInterval(sampler);
      ok = false;
      const message = (err instanceof Error ? err.message : String(err)).trim().split("\n").at(-1);
      console.log(`${report("FAILED after")}: ${message}`);
    }
  }
  await prisma.$disconnect();
} finally {
  await db.stop();
}
process.exit(ok ? 0 : 1);
