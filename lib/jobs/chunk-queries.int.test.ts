import { afterAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { uniq } from "@/prisma/testing/factories";
import { claimNextChunk, completeChunk } from "./chunk-queries";
import { insertJob } from "./queries";

const jobs: string[] = [];
afterAll(async () => {
  await prisma.job.deleteMany({ where: { id: { in: jobs } } });
});

const report = (done: number, retries = 0) => ({
  done,
  errorCount: 0,
  lastError: null,
  failures: null,
  retries: { upstream: retries, items: 0 },
});

describe("completing chunks", () => {
  it("settles the job exactly once, with every chunk counted, when its chunks finish at the same moment", async () => {
    for (let round = 0; round < 6; round++) {
      const type = uniq("race");
      const chunks = 8;
      const job = await insertJob({
        type,
        payload: {},
        progressTotal: 5 + chunks * 10,
        progressDone: 5,
        chunks: Array.from({ length: chunks }, (_, i) => ({ part: i })),
      });
      jobs.push(job.id);
      const claimed = [];
      for (let w = 0; w < chunks; w++) {
        const c = await claimNextChunk({ workerId: `w${w}`, leaseMs: 60_000, types: [type] });
        claimed.push({ workerId: `w${w}`, seq: c!.seq });
      }
      // All chunks report at once, as workers finishing together do.
      const results = await Promise.all(
        claimed.map((c) => completeChunk({ jobId: job.id, seq: c.seq, workerId: c.workerId, report: report(10, 1) })),
      );
      expect(results.every((r) => r.held)).toBe(true);
      expect(results.filter((r) => r.finished)).toHaveLength(1);
      expect(await prisma.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({
        status: "SUCCEEDED",
        progressDone: 5 + chunks * 10,
        retryCount: chunks,
        lockedBy: null,
      });
    }
  });

  it("keeps the job running, with the progress so far, until its last chunk is done", async () => {
    const type = uniq("partial");
    const job = await insertJob({ type, payload: {}, progressTotal: 30, chunks: [{ a: 1 }, { a: 2 }, { a: 3 }] });
    jobs.push(job.id);
    const a = await claimNextChunk({ workerId: "a", leaseMs: 60_000, types: [type] });
    const b = await claimNextChunk({ workerId: "b", leaseMs: 60_000, types: [type] });
    await Promise.all([
      completeChunk({ jobId: job.id, seq: a!.seq, workerId: "a", report: report(10) }),
      completeChunk({ jobId: job.id, seq: b!.seq, workerId: "b", report: report(7) }),
    ]);
    const mid = await prisma.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(mid).toMatchObject({ status: "RUNNING", progressDone: 17, finishedAt: null });
    const c = await claimNextChunk({ workerId: "c", leaseMs: 60_000, types: [type] });
    expect(await completeChunk({ jobId: job.id, seq: c!.seq, workerId: "c", report: report(10) })).toEqual({
      held: true,
      finished: true,
    });
    expect(await prisma.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({
      status: "SUCCEEDED",
      progressDone: 27,
    });
  });
});
