import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import type { Actor } from "@/lib/auth/permissions";
import { deleteUsers, makeUser, uniq } from "@/prisma/testing/factories";
import { EMBED_JOB, evalSetTexts, textHash } from "@/lib/embeddings";
import { runEmbeddingJobsOf } from "@/lib/embeddings/testing/run-embedding-jobs";
import { trainingPairsJsonl, trainingPairsManifest } from "./index";

const N = 20_000;
let admin: Actor;
let setId: string;
let teacherId: string;

beforeAll(async () => {
  admin = await makeUser("ADMIN");
  teacherId = (
    await prisma.system.create({
      data: { name: uniq("distil-teacher"), role: "TEACHER", kind: "EXTERNAL" },
      select: { id: true },
    })
  ).id;
  setId = (await prisma.evalSet.create({ data: { name: uniq("distil-set") }, select: { id: true } })).id;
  const verbs = ["watched", "painted", "repaired", "opened", "cleaned"];
  for (let i = 0; i < N; i += 5000) {
    await prisma.evalItem.createMany({
      data: Array.from({ length: 5000 }, (_, j) => ({
        evalSetId: setId,
        externalId: `s${i + j}`,
        position: i + j,
        source: `The ${i + j}th neighbour ${verbs[(i + j) % 5]} the old fence on Sunday.`,
        references: [],
      })),
    });
  }
  const items = await prisma.evalItem.findMany({
    where: { evalSetId: setId },
    select: { id: true, source: true, position: true },
  });
  // Per item: a real paraphrase, a verbatim copy of the source, and (every tenth item) a duplicate of the first.
  const outputs = items.flatMap((it) => {
    const para = it.source.replace(
      /^The (\d+)th neighbour (\w+) the old fence on Sunday\.$/,
      "On Sunday, the old fence was $2 by the $1th neighbour.",
    );
    const rows = [para, it.source, ...(it.position % 10 === 0 ? [para] : [])];
    return rows.map((text, rank) => ({
      itemId: it.id,
      systemId: teacherId,
      settingsKey: "imported",
      settings: {},
      rank,
      text,
    }));
  });
  for (let i = 0; i < outputs.length; i += 10_000)
    await prisma.output.createMany({ data: outputs.slice(i, i + 10_000) });
}, 120_000);

afterAll(async () => {
  await prisma.evalSet.delete({ where: { id: setId } });
  await prisma.system.delete({ where: { id: teacherId } });
  await deleteUsers(admin.id);
});

describe("distillation data export", () => {
  it("exports a 20,000-sentence set as JSONL that parses line by line, with the manifest's counts", async () => {
    const started = Date.now();
    const args = { evalSetId: setId, systemId: teacherId, settingsKey: "imported" };
    let text = "";
    for await (const chunk of await trainingPairsJsonl(admin, args)) text += chunk;
    const lines = text.trimEnd().split("\n");
    const pairs = lines.map((l) => JSON.parse(l) as { id: string; source: string; target: string });
    const manifest = await trainingPairsManifest(admin, args);
    const seconds = (Date.now() - started) / 1000;
    expect(manifest.counts).toEqual({
      items: N,
      itemsWithOutputs: N,
      outputs: N * 2 + N / 10,
      kept: N,
      dropped: { nearCopies: N, tooSimilarBleu: 0, lowSemanticSimilarity: 0, duplicates: N / 10, empty: 0 },
    });
    expect(pairs).toHaveLength(manifest.counts.kept);
    expect(pairs[0]).toEqual({
      id: "s0-0",
      source: "The 0th neighbour watched the old fence on Sunday.",
      target: "On Sunday, the old fence was watched by the 0th neighbour.",
    });
    expect(pairs.every((p) => p.source !== p.target)).toBe(true);
    expect(new Set(pairs.map((p) => p.id)).size).toBe(pairs.length);
    expect(manifest.format).toMatch(/--text_column source --summary_column target/);
    console.log(
      `[distillation export] ${N} sentences, ${manifest.counts.outputs} outputs -> ${pairs.length} pairs + manifest in ${seconds.toFixed(1)} s`,
    );
  });

  it("applies a BLEU ceiling and says so in the manifest", async () => {
    const m = await trainingPairsManifest(admin, {
      evalSetId: setId,
      systemId: teacherId,
      settingsKey: "imported",
      maxBleuVsSource: 0.05,
    });
    expect(m.filters.maxBleuVsSource).toBe(0.05);
    expect(m.counts.dropped.tooSimilarBleu).toBe(N);
    expect(m.counts.kept).toBe(0);
  });

  it("names the settings of this set's outputs, not those of another import under the same key", async () => {
    const mine = (await prisma.evalSet.create({ data: { name: uniq("distil-mine") }, select: { id: true } })).id;
    try {
      const item = await prisma.evalItem.create({
        data: { evalSetId: mine, externalId: "m0", position: 0, source: "The cat sat on the mat.", references: [] },
        select: { id: true },
      });
      const settings = { source: "import", filename: "mine.jsonl" };
      await prisma.output.create({
        data: {
          itemId: item.id,
          systemId: teacherId,
          settingsKey: "imported",
          settings,
          rank: 0,
          text: "On the mat sat the cat.",
        },
      });
      const m = await trainingPairsManifest(admin, { evalSetId: mine, systemId: teacherId, settingsKey: "imported" });
      expect(m.teacher.settings).toEqual(settings);
      expect(m.counts.kept).toBe(1);
    } finally {
      await prisma.evalSet.delete({ where: { id: mine } });
    }
  });

  it("filters by semantic similarity once the worker has scored the outputs, and reports the tokens spent", async () => {
    const mine = (await prisma.evalSet.create({ data: { name: uniq("distil-sem") }, select: { id: true } })).id;
    try {
      const sources = ["The meeting was postponed until next week.", "She forgot her umbrella at the station."];
      const targets = [
        ["They pushed the meeting back to next week.", "Bananas are rich in potassium and fibre."],
        ["She left her umbrella behind at the station.", "The stock market closed higher on Friday."],
      ];
      for (const [position, source] of sources.entries()) {
        const item = await prisma.evalItem.create({
          data: { evalSetId: mine, externalId: `e${position}`, position, source, references: [] },
          select: { id: true },
        });
        await prisma.output.createMany({
          data: targets[position].map((text, rank) => ({
            itemId: item.id,
            systemId: teacherId,
            settingsKey: "sem",
            settings: { n: 2 },
            rank,
            text,
            promptTokens: 40, // one request per item: its prompt counted once
            completionTokens: 10,
          })),
        });
      }
      const input = { evalSetId: mine, systemId: teacherId, settingsKey: "sem", minSemanticSimilarity: 0.5 };
      await expect(trainingPairsManifest(admin, input)).rejects.toThrow(/not computed yet for 4 of these outputs/);
      await runEmbeddingJobsOf(mine); // another file's embedding job may be claimed first
      const m = await trainingPairsManifest(admin, input);
      expect(m.counts.kept).toBe(2);
      expect(m.counts.dropped.lowSemanticSimilarity).toBe(2);
      expect(m.filters).toMatchObject({ minSemanticSimilarity: 0.5, semanticSimilarityModel: expect.any(String) });
      expect(m.tokens).toEqual({ prompt: 80, completion: 40, outputsWithUsage: 4 });
      let text = "";
      for await (const chunk of await trainingPairsJsonl(admin, input)) text += chunk;
      expect(
        text
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l).target),
      ).toEqual([targets[0][0], targets[1][0]]);
    } finally {
      const hashes = (await evalSetTexts(mine)).map(textHash);
      await prisma.textEmbedding.deleteMany({ where: { textHash: { in: hashes } } });
      await prisma.job.deleteMany({ where: { type: EMBED_JOB, payload: { path: ["evalSetId"], equals: mine } } });
      await prisma.evalSet.delete({ where: { id: mine } });
    }
  }, 120_000);
});
