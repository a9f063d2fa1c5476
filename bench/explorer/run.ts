/**
 * The outputs explorer on an eval set of 50,000 items (a teacher output and three student
 * outputs per item, 200,000 outputs, each with a stored similarity) in a real PostgreSQL
 * (embedded, .data/postgres-bench-explorer; built once and reused). Times one page view of
 * exploreOutputs per filter and sort, first page and last page. Similarities are synthetic here
 * (embedding 250,000 texts would take the encoder about half an hour on 2 cores); the embedding
 * speed itself is printed from the offline encoder on 256 texts.
 *   npx tsx bench/explorer/run.ts [--items 50000] [--runs 3]
 */
import { performance } from "node:perf_hooks";
import { freePort, startEmbeddedPostgres } from "@/prisma/embedded-postgres";
import { migrate } from "@/prisma/migrate";

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const ITEMS = arg("items", 50_000);
const RUNS = arg("runs", 3);
const SET_NAME = `explorer-bench-${ITEMS}`;

const db = await startEmbeddedPostgres({
  dataDir: ".data/postgres-bench-explorer",
  port: await freePort(),
  database: "distil_eval_bench",
});
try {
  await migrate(db.url);
  process.env.DATABASE_URL = db.url;
  const { prisma } = await import("@/lib/db");
  const { exploreOutputs } = await import("@/lib/explorer");
  const { universalSentenceEncoder, USE_LITE_MODEL, embeddingProvider } = await import("@/lib/embeddings");
  const model = embeddingProvider().model;
  if (model !== USE_LITE_MODEL) throw new Error("run the bench without EMBEDDINGS_* set");

  let t = performance.now();
  let set = await prisma.evalSet.findUnique({ where: { name: SET_NAME }, select: { id: true } });
  if (!set) {
    set = await prisma.evalSet.create({ data: { name: SET_NAME }, select: { id: true } });
    const teacher = await prisma.system.create({
      data: { name: `${SET_NAME}-teacher`, role: "TEACHER", kind: "EXTERNAL" },
      select: { id: true },
    });
    const student = await prisma.system.create({
      data: { name: `${SET_NAME}-student`, role: "STUDENT", kind: "EXTERNAL" },
      select: { id: true },
    });
    await prisma.$executeRaw`
      INSERT INTO "EvalItem" ("id", "evalSetId", "externalId", "position", "source", "references")
      SELECT gen_random_uuid(), ${set.id}::uuid, 'i' || g, g,
             'The committee number ' || g || ' approved the plan about topic ' || (g % 97) || ' after a long debate.', '{}'
      FROM generate_series(0, ${ITEMS - 1}) g`;
    await prisma.$executeRaw`
      INSERT INTO "Output" ("id", "itemId", "systemId", "settingsKey", "settings", "rank", "text")
      SELECT gen_random_uuid(), i."id", ${teacher.id}::uuid, 't:bench', '{"n": 1, "temperature": 0.7}', 0,
             'After a long debate, committee ' || i."position" || ' approved the plan on topic ' || (i."position" % 97) || '.'
      FROM "EvalItem" i WHERE i."evalSetId" = ${set.id}::uuid`;
    await prisma.$executeRaw`
      INSERT INTO "Output" ("id", "itemId", "systemId", "settingsKey", "settings", "rank", "text")
      SELECT gen_random_uuid(), i."id", ${student.id}::uuid, 's:bench',
             '{"strategy": "diverse-beam", "numBeams": 3, "numBeamGroups": 3, "diversityPenalty": 0.5, "numReturnSequences": 3}', r,
             CASE WHEN i."position" % 50 = 0 AND r = 1 THEN i."source"
                  WHEN i."position" % 333 = 0 AND r = 2 THEN ''
                  WHEN i."position" % 77 = 0 AND r = 2 THEN 'The plan was approved by committee ' || i."position" || '.'
                  ELSE 'The plan was approved by committee ' || i."position" || CASE r WHEN 0 THEN '.' WHEN 1 THEN ' after debate.' ELSE ' on topic ' || (i."position" % 97) || '.' END
             END
      FROM "EvalItem" i, generate_series(0, 2) r WHERE i."evalSetId" = ${set.id}::uuid`;
    await prisma.$executeRaw`
      INSERT INTO "OutputSimilarity" ("outputId", "model", "similarity")
      SELECT o."id", ${model}, 0.3 + 0.7 * abs(sin(o."rank" * 7919 + i."position"))
      FROM "Output" o JOIN "EvalItem" i ON i."id" = o."itemId" WHERE i."evalSetId" = ${set.id}::uuid`;
    await prisma.$executeRaw`ANALYZE`;
    console.log(`built ${ITEMS} items, ${ITEMS * 4} outputs in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  } else console.log(`reused ${ITEMS} items`);

  const actor = { id: "00000000-0000-4000-8000-000000000001", role: "ADMIN" as const, email: "b@b.local", name: "B" };
  const lastPage = Math.ceil(ITEMS / 20);
  const cases = [
    { name: "first page, by position", input: {} },
    { name: `page ${lastPage}, by position`, input: { page: lastPage } },
    { name: "lowest semantic similarity first", input: { sort: "similarity" as const } },
    { name: "filter: copies of the source", input: { filter: "copies" as const } },
    { name: "filter: empty outputs", input: { filter: "empty" as const } },
    { name: "filter: duplicates within a system", input: { filter: "duplicates" as const } },
    { name: "filter: similarity below 0.4", input: { filter: "low-similarity" as const, below: 0.4 } },
  ];
  await exploreOutputs(actor, { evalSetId: set.id }); // warm-up: JIT, pool, parser dictionary
  for (const c of cases) {
    const walls: number[] = [];
    let total = 0;
    for (let run = 0; run < RUNS; run++) {
      t = performance.now();
      const p = await exploreOutputs(actor, { evalSetId: set.id, ...c.input });
      walls.push(performance.now() - t);
      total = p.total;
    }
    const sorted = [...walls].sort((a, b) => a - b);
    console.log(
      `${c.name.padEnd(38)} ${total.toString().padStart(6)} items: median ${sorted[Math.floor(RUNS / 2)].toFixed(0)} ms (runs ${walls.map((w) => w.toFixed(0)).join(", ")})`,
    );
  }
  const encoder = universalSentenceEncoder();
  await encoder.embed(["warm up"]);
  const texts = Array.from({ length: 256 }, (_, i) => `The committee number ${i} approved the plan after a debate.`);
  t = performance.now();
  await encoder.embed(texts);
  const ms = performance.now() - t;
  console.log(
    `offline encoder (USE lite): 256 texts in ${ms.toFixed(0)} ms, ${((256 / ms) * 1000).toFixed(0)} texts/s`,
  );
  await prisma.$disconnect();
} finally {
  await db.stop();
}
