import { prisma } from "@/lib/db";
import { runWorker } from "@/lib/jobs";
import { EMBED_JOB, runEmbeddingJob } from "../embedding-job";

/**
 * Runs embedding jobs until none is left for this eval set. Integration test files share one
 * database and run side by side, so another file's embedding job (the seed's, another
 * fixture's) may be the next one claimed: a single `maxJobs: 1` run is not enough.
 */
export async function runEmbeddingJobsOf(evalSetId: string, deadlineMs = 120_000) {
  const until = Date.now() + deadlineMs;
  const pending = () =>
    prisma.job.count({
      where: {
        type: EMBED_JOB,
        status: { in: ["QUEUED", "RUNNING"] },
        payload: { path: ["evalSetId"], equals: evalSetId },
      },
    });
  while ((await pending()) > 0) {
    if (Date.now() > until)
      throw new Error(`embedding jobs of eval set ${evalSetId} still pending after ${deadlineMs} ms`);
    // Bounded, so a job that another file's worker holds is waited for rather than polled forever.
    await runWorker({
      handlers: { [EMBED_JOB]: runEmbeddingJob },
      maxJobs: 1,
      pollMs: 50,
      signal: AbortSignal.timeout(5_000),
    });
  }
}
