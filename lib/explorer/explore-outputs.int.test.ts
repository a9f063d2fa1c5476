import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { EMBED_JOB, evalSetTexts, textHash } from "@/lib/embeddings";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { runEmbeddingJobsOf } from "@/lib/embeddings/testing/run-embedding-jobs";
import { makeStudyFixture, type StudyFixture } from "@/prisma/testing/study-fixture";
import { exploreOutputs, exportOutputs } from "./index";

let f: StudyFixture;
let items: { id: string; source: string }[];
beforeAll(async () => {
  f = await makeStudyFixture({ items: 6, students: 1, annotators: 1 });
  items = await prisma.evalItem.findMany({
    where: { evalSetId: f.evalSetId },
    orderBy: { position: "asc" },
    select: { id: true, source: true },
  });
  const student = f.students[0];
  const add = (itemId: string, rank: number, text: string, systemId = student.id, settingsKey = student.settingsKey) =>
    prisma.output.create({ data: { itemId, systemId, settingsKey, settings: { n: 2 }, rank, text } });
  await add(items[1].id, 2, items[1].source); // a copy of the source
  await add(items[2].id, 2, "   ", f.teacher.id, f.teacher.settingsKey); // empty
  const first = await prisma.output.findFirstOrThrow({
    where: { itemId: items[3].id, systemId: student.id, rank: 0 },
    select: { text: true },
  });
  await add(items[3].id, 2, first.text.toUpperCase()); // a duplicate within the system
  await add(items[4].id, 2, "Bananas are rich in potassium and fibre."); // unrelated meaning
}, 60_000);
afterAll(async () => {
  const hashes = (await evalSetTexts(f.evalSetId)).map(textHash);
  await prisma.textEmbedding.deleteMany({ where: { textHash: { in: hashes } } });
  await prisma.job.deleteMany({ where: { type: EMBED_JOB, payload: { path: ["evalSetId"], equals: f.evalSetId } } });
  await f.remove();
});

describe("exploreOutputs", () => {
  it("is for admins and researchers, never annotators", async () => {
    await expect(exploreOutputs(f.annotators[0], { evalSetId: f.evalSetId })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      exploreOutputs(f.researcher, { evalSetId: "00000000-0000-4000-8000-000000000000" }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("pages items with every system's outputs side by side, named by what made them, with metrics", async () => {
    const p = await exploreOutputs(f.researcher, { evalSetId: f.evalSetId, pageSize: 4, page: 2 });
    expect(p.total).toBe(6);
    expect(p.pages).toBe(2);
    expect(p.items.map((i) => i.position)).toEqual([4, 5]);
    const sets = p.items[0].outputSets;
    expect(sets.map((s) => s.role)).toEqual(["teacher", "student"]);
    expect(sets[0].label).toContain(f.teacher.name);
    expect(sets[1].outputs.map((o) => o.rank)).toEqual([0, 1, 2]);
    const unrelated = sets[1].outputs[2];
    expect(unrelated.segments.some((s) => s.isChanged && s.text.includes("Bananas"))).toBe(true);
    expect(unrelated.metrics.lexicalDeviation).toBeGreaterThan(0.5);
    expect(unrelated.metrics.wordPositionDeviation).not.toBeNull();
    expect(p.semantic.reason).toMatch(/^computing: \d+ outputs still to score/);
  });

  it("filters copies of the source, empty outputs and duplicates within a system", async () => {
    const ids = async (filter: "copies" | "empty" | "duplicates") =>
      (await exploreOutputs(f.researcher, { evalSetId: f.evalSetId, filter })).items.map((i) => i.id);
    expect(await ids("copies")).toEqual([items[1].id]);
    expect(await ids("empty")).toEqual([items[2].id]);
    expect(await ids("duplicates")).toEqual([items[3].id]);
    const copy = (await exploreOutputs(f.researcher, { evalSetId: f.evalSetId, filter: "copies" })).items[0];
    expect(copy.outputSets[1].outputs[2]).toMatchObject({ isCopy: true, metrics: { wordEditDistance: 0 } });
  });

  it("after the embedding job, sorts by lowest semantic similarity and filters below a threshold", async () => {
    await exploreOutputs(f.researcher, { evalSetId: f.evalSetId }); // queues the job
    await runEmbeddingJobsOf(f.evalSetId);
    const sorted = await exploreOutputs(f.researcher, { evalSetId: f.evalSetId, sort: "similarity" });
    expect(sorted.semantic.reason).toBeNull();
    const minSim = (i: (typeof sorted.items)[number]) =>
      Math.min(...i.outputSets.flatMap((s) => s.outputs.map((o) => o.metrics.semanticSimilarity ?? 2)));
    const mins = sorted.items.map(minSim);
    expect(mins).toEqual([...mins].sort((a, b) => a - b));
    const low = await exploreOutputs(f.researcher, { evalSetId: f.evalSetId, filter: "low-similarity", below: 0.3 });
    expect(low.items.map((i) => i.id)).toContain(items[4].id);
    for (const item of low.items) expect(minSim(item)).toBeLessThan(0.3);
  }, 120_000);

  it("downloads every output with its metrics as CSV and as JSONL", async () => {
    const total = await prisma.output.count({ where: { item: { evalSetId: f.evalSetId } } });
    const csv = await new Response(
      (await exportOutputs(f.researcher, { evalSetId: f.evalSetId, format: "csv" })).body,
    ).text();
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toMatch(/^item_id,position,source,output_set,system,role,rank,output,semantic_similarity/);
    expect(lines).toHaveLength(total + 1);
    const jsonl = await new Response(
      (await exportOutputs(f.researcher, { evalSetId: f.evalSetId, format: "jsonl" })).body,
    ).text();
    const rows = jsonl
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows).toHaveLength(total);
    expect(rows[0]).toEqual(expect.objectContaining({ source: expect.any(String), output: expect.any(String) }));
    await expect(exportOutputs(f.annotators[0], { evalSetId: f.evalSetId })).rejects.toBeInstanceOf(ForbiddenError);
  });
});
