import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import type { Actor } from "@/lib/auth/permissions";
import { closeParaphrasePool } from "@/lib/inference";
import { runWorker } from "@/lib/jobs";
import { syncStudentSystems } from "@/lib/systems";
import { deleteUsers, makeUser, uniq } from "@/prisma/testing/factories";
import { getJobProgress } from "@/lib/jobs";
import { GENERATE_JOB, runGenerationChunk, runGenerationJob, startGeneration } from "./index";

let admin: Actor;
let setId: string;
let studentId: string;

beforeAll(async () => {
  admin = await makeUser("ADMIN");
  await syncStudentSystems();
  studentId = (await prisma.system.findUniqueOrThrow({ where: { name: "paraphrase-student-tiny" } })).id;
  const set = await prisma.evalSet.create({
    data: {
      name: uniq("student-set"),
      items: {
        create: [
          "The young doctor washed the clothes when the bell rang.",
          "Tom sent the email since it was late.",
          "On Monday, the game was watched by the teacher.",
        ].map((source, i) => ({ externalId: `s${i}`, position: i, source, references: [] })),
      },
    },
    select: { id: true },
  });
  setId = set.id;
});
afterAll(async () => {
  await prisma.evalSet.delete({ where: { id: setId } });
  await prisma.job.deleteMany({ where: { createdById: admin.id } });
  await deleteUsers(admin.id);
  await closeParaphrasePool();
});

describe("generation with the shipped ONNX student", () => {
  it("registers the model with its size and parameter count", async () => {
    const s = await prisma.system.findUniqueOrThrow({ where: { id: studentId } });
    expect(s).toMatchObject({ kind: "ONNX_MODEL", role: "STUDENT", modelDir: "paraphrase-student-tiny" });
    expect(Number(s.parameterCount)).toBeGreaterThan(100_000);
    expect(Number(s.sizeOnDiskBytes)).toBeGreaterThan(1_000_000);
  });

  it("stores diverse paraphrases, real ones rather than copies, with latency and token counts", async () => {
    const { jobId } = await startGeneration(admin, {
      evalSetId: setId,
      systemId: studentId,
      settings: {
        strategy: "diverse-beam",
        numBeams: 4,
        numBeamGroups: 4,
        diversityPenalty: 0.5,
        numReturnSequences: 4,
        maxNewTokens: 40,
      },
    });
    await runWorker({
      handlers: { [GENERATE_JOB]: runGenerationJob },
      chunkHandlers: { [GENERATE_JOB]: runGenerationChunk },
      maxJobs: 1,
      pollMs: 50,
    });
    expect(await getJobProgress(admin, jobId)).toMatchObject({ status: "SUCCEEDED", done: 3, errorCount: 0 });
    const outputs = await prisma.output.findMany({
      where: { systemId: studentId, item: { evalSetId: setId } },
      include: { item: true },
      orderBy: [{ itemId: "asc" }, { rank: "asc" }],
    });
    expect(outputs).toHaveLength(12);
    for (const o of outputs) {
      expect(o.latencyMs).toBeGreaterThan(0);
      // CPU time of the ONNX batch, shared out per paraphrase (4 beams decoding: some CPU was spent)
      expect(o.cpuMs).toBeGreaterThan(0);
      expect(o.completionTokens).toBeGreaterThan(2);
    }
    // One batch: every paraphrase carries the same share
    expect(new Set(outputs.map((o) => o.cpuMs)).size).toBeLessThanOrEqual(3);
    const byItem = new Map<string, typeof outputs>();
    for (const o of outputs) byItem.set(o.itemId, [...(byItem.get(o.itemId) ?? []), o]);
    for (const outs of byItem.values()) {
      const texts = outs.map((o) => o.text);
      expect(new Set(texts).size).toBeGreaterThanOrEqual(3); // diverse: the groups differ
      expect(texts.some((t) => t !== outs[0].item.source)).toBe(true); // not copies of the source
    }
  });

  it("fails only the item the model cannot run: the job completes with that failure listed", async () => {
    // Over the runner's 4,000-character limit: the model refuses this input, not the others
    const tooLong = `A sentence far too long for the student. ${"It goes on and on. ".repeat(220)}`;
    const set = await prisma.evalSet.create({
      data: {
        name: uniq("student-failing-set"),
        items: {
          create: ["Tom sent the email since it was late.", tooLong, "The teacher watched the game on Monday."].map(
            (source, i) => ({ externalId: `f${i}`, position: i, source, references: [] }),
          ),
        },
      },
      select: { id: true },
    });
    try {
      const { jobId } = await startGeneration(admin, {
        evalSetId: set.id,
        systemId: studentId,
        settings: { strategy: "greedy", maxNewTokens: 12 },
      });
      await runWorker({
        handlers: { [GENERATE_JOB]: runGenerationJob },
        chunkHandlers: { [GENERATE_JOB]: runGenerationChunk },
        maxJobs: 1,
        pollMs: 50,
      });
      expect(await getJobProgress(admin, jobId)).toMatchObject({
        status: "SUCCEEDED",
        statusLabel: "completed with 1 failure",
        done: 2,
        errorCount: 1,
        failureCounts: { refused: 1, malformed: 0, other: 0 },
        failedItems: [{ label: tooLong.slice(0, 60), kind: "refused", attempts: 1 }],
      });
      const [failed] = (await getJobProgress(admin, jobId)).failedItems;
      expect(failed.reason).toMatch(/at most 4000 characters/);
      const outputs = await prisma.output.findMany({
        where: { jobId },
        select: { item: { select: { source: true } } },
      });
      expect(outputs.map((o) => o.item.source).sort()).toEqual(
        ["Tom sent the email since it was late.", "The teacher watched the game on Monday."].sort(),
      );
    } finally {
      await prisma.evalSet.delete({ where: { id: set.id } });
    }
  });
});
