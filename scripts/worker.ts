/**
 * `npm run worker`: claims background jobs (generation, LLM judging, embeddings, results refresh) from the database and runs them. Run as
 * many as you like, on any machine that reaches the same DATABASE_URL and has the same models/
 * folder; jobs (and the chunks of generation jobs, which many workers run at once) are claimed
 * atomically and resumed by another worker if one dies.
 */
import { existsSync } from "node:fs";
import { GENERATE_JOB, runGenerationChunk, runGenerationJob } from "@/lib/generation";
import { EMBED_JOB, runEmbeddingJob } from "@/lib/embeddings";
import { runWorker } from "@/lib/jobs";
import { JUDGE_JOB, runJudgeJob } from "@/lib/judge";
import { RESULTS_JOB, runResultsJob } from "@/lib/results";
import { closeParaphrasePool } from "@/lib/inference";
import { prisma } from "@/lib/db";
import { env } from "@/lib/env";

if (existsSync(".env")) process.loadEnvFile(".env");
if (!process.env.DATABASE_URL) {
  console.error(
    "[worker] DATABASE_URL is not set. `npm start` runs a worker for you; a separate worker needs the app's DATABASE_URL.",
  );
  process.exit(1);
}
// Every setting checked before the first claim, with one message naming each bad variable
const { WORKER_LEASE_MS, WORKER_POLL_MS } = env();
const controller = new AbortController();
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => controller.abort());
console.log("[worker] waiting for jobs");
await runWorker({
  handlers: {
    [GENERATE_JOB]: runGenerationJob,
    [JUDGE_JOB]: runJudgeJob,
    [EMBED_JOB]: runEmbeddingJob,
    [RESULTS_JOB]: runResultsJob,
  },
  // Generation jobs are split into chunks: every worker sharing the database joins a running one.
  chunkHandlers: { [GENERATE_JOB]: runGenerationChunk },
  signal: controller.signal,
  leaseMs: WORKER_LEASE_MS,
  pollMs: WORKER_POLL_MS,
  log: (m) => console.log(`[worker] ${m}`),
});
await closeParaphrasePool();
await prisma.$disconnect();
console.log("[worker] stopped");
