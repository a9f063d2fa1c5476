import { afterEach, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { EMBED_JOB, embedMissing, evalSetTexts, textHash, universalSentenceEncoder } from "@/lib/embeddings";
import { runEmbeddingJobsOf } from "@/lib/embeddings/testing/run-embedding-jobs";
import { parserStatus } from "@/lib/text-metrics";
import { makeRatedStudy, type RatedStudy } from "@/prisma/testing/results-fixture";
import { getStudyMetrics } from "./index";

let made: RatedStudy[] = [];
const embedJobsOf = (s: RatedStudy) => ({
  type: EMBED_JOB,
  payload: { path: ["evalSetId"], equals: s.fixture.evalSetId },
});
afterEach(async () => {
  for (const s of made) {
    const hashes = (await evalSetTexts(s.fixture.evalSetId)).map(textHash);
    await prisma.textEmbedding.deleteMany({ where: { textHash: { in: hashes } } });
    await prisma.job.deleteMany({ where: embedJobsOf(s) });
    await s.remove();
  }
  made = [];
});
async function study() {
  const s = await makeRatedStudy({ items: 6 });
  made.push(s);
  return s;
}
const metric = (m: Awaited<ReturnType<typeof getStudyMetrics>>, system: number, key: string) =>
  m.systems[system].metrics.find((x) => x.key === key)!.result;

describe("getStudyMetrics", () => {
  it("scores by default exactly the outputs people rate (rank 0 in the regular pairs), all outputs on request", async () => {
    const s = await study(); // two outputs per source and system; pairs show rank 0 only
    await s.rate({ isSimulated: false });
    const rated = await getStudyMetrics(s.fixture.researcher, { studyId: s.studyId });
    expect(rated.basis).toBe("rated");
    expect(rated.systems.map((x) => x.outputs)).toEqual([6, 6]);
    expect(rated.basisLabel).toMatch(/outputs people rate/);
    const all = await getStudyMetrics(s.fixture.researcher, { studyId: s.studyId, basis: "all" });
    expect(all.systems.map((x) => x.outputs)).toEqual([12, 12]);
    expect(all.systems[0].selfBleu.ok).toBe(true); // a set measure: always over all outputs
    expect(rated.systems[0].selfBleu.ok).toBe(true);
  });

  it("shows WPD, LD and the other lexical and syntactic metrics per system with an interval", async () => {
    const s = await study();
    const m = await getStudyMetrics(s.fixture.researcher, { studyId: s.studyId });
    for (const key of ["wordPositionDeviation", "lexicalDeviation", "wordEditDistance", "syntacticDiversity"]) {
      const r = metric(m, 1, key);
      expect(r.ok, key).toBe(true);
      if (r.ok) expect(r.lower).toBeLessThanOrEqual(r.estimate);
    }
    const ted = metric(m, 1, "treeEditDistance");
    if (parserStatus().ok) expect(ted.ok).toBe(true);
    else expect(ted).toEqual({ ok: false, reason: expect.stringMatching(/^unavailable: install/) });
  });

  it("queues the embeddings in the worker, then shows semantic similarity per system with an interval", async () => {
    const s = await study();
    await s.rate({ isSimulated: false });
    const before = await getStudyMetrics(s.fixture.researcher, { studyId: s.studyId });
    const pending = metric(before, 0, "semanticSimilarity");
    expect(pending.ok).toBe(false);
    if (!pending.ok) expect(pending.reason).toMatch(/^computing: \d+ of \d+ texts still to embed/);
    expect(!pending.ok && pending.reason).not.toMatch(/failed/);
    // A second view while it waits queues nothing more.
    await getStudyMetrics(s.fixture.researcher, { studyId: s.studyId });
    expect(await prisma.job.count({ where: { ...embedJobsOf(s), status: "QUEUED" } })).toBe(1);

    // A job that failed is said on the page (and a new one queued) instead of "computing" forever.
    await prisma.job.updateMany({
      where: { ...embedJobsOf(s), status: "QUEUED" },
      data: { status: "FAILED", lastError: "encoder crashed" },
    });
    const failed = metric(await getStudyMetrics(s.fixture.researcher, { studyId: s.studyId }), 0, "semanticSimilarity");
    expect(!failed.ok && failed.reason).toMatch(/The last embedding job failed: encoder crashed/);

    await runEmbeddingJobsOf(s.fixture.evalSetId);
    const after = await getStudyMetrics(s.fixture.researcher, { studyId: s.studyId });
    const sim = metric(after, 0, "semanticSimilarity");
    expect(sim.ok).toBe(true);
    if (sim.ok) {
      expect(sim.estimate).toBeGreaterThan(0);
      expect(sim.estimate).toBeLessThanOrEqual(1);
      expect(sim.lower).toBeLessThanOrEqual(sim.upper);
    }
    expect(after.embeddingModel).toMatch(/Universal Sentence Encoder/);
    const corr = after.correlations.find((c) => c.metric === "semanticSimilarity" && c.criterion === "meaning")!;
    expect(corr.result.ok || /too few|does not vary|constant/.test(corr.result.reason)).toBe(true);

    // Stored once per text and model: nothing is embedded a second time.
    const again = await embedMissing({
      texts: await evalSetTexts(s.fixture.evalSetId),
      provider: universalSentenceEncoder(),
    });
    expect(again.embedded).toBe(0);
    expect(again.alreadyStored).toBeGreaterThan(0);
  }, 120_000);
});
