import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import type { Actor } from "@/lib/auth/permissions";
import { acquireSlots, claimNextChunk, completeChunk, runWorker, type ChunkHandler } from "@/lib/jobs";
import { deleteUsers, makeUser, uniq } from "@/prisma/testing/factories";
import { startFakeChatServer, type FakeChatServer } from "@/lib/llm/testing/fake-chat-server";
import { GENERATE_JOB, runGenerationChunk, runGenerationJob, startGeneration } from "./index";
import { CHUNK_ITEMS } from "./schemas";

/**
 * Generation spread over many workers (issue 15): worker loops in this process share jobs
 * through PostgreSQL exactly as `npm run worker` processes on several machines do.
 */
let admin: Actor;
let server: FakeChatServer;
const cleanup: { sets: string[]; systems: string[] } = { sets: [], systems: [] };

beforeAll(async () => {
  admin = await makeUser("ADMIN");
  server = await startFakeChatServer({ defaultReply: { type: "paraphrases", format: "numbered", delayMs: 25 } });
  process.env.LLM_KEY_FAKE_TEACHER = "sk-test-secret";
});
afterAll(async () => {
  await prisma.evalSet.deleteMany({ where: { id: { in: cleanup.sets } } });
  await prisma.job.deleteMany({ where: { createdById: admin.id } });
  await prisma.system.deleteMany({ where: { id: { in: cleanup.systems } } });
  await prisma.concurrencySlot.deleteMany({ where: { key: { in: cleanup.systems.map((id) => `system:${id}`) } } });
  await deleteUsers(admin.id);
  await server.close();
});

/** A set whose sentences carry a tag, so this test's requests are told apart from any other's. */
async function makeSet(n: number) {
  const tag = uniq("w");
  const set = await prisma.evalSet.create({
    data: {
      name: uniq("workers-set"),
      items: {
        create: Array.from({ length: n }, (_, i) => ({
          externalId: `i${i}`,
          position: i,
          source: `Sentence ${tag} number ${i} was written by the tester.`,
          references: [],
        })),
      },
    },
    select: { id: true },
  });
  cleanup.sets.push(set.id);
  return { setId: set.id, tag };
}

async function makeTeacher(maxConcurrency: number) {
  const s = await prisma.system.create({
    data: {
      name: uniq("teacher"),
      role: "TEACHER",
      kind: "LLM_API",
      baseUrl: server.baseUrl,
      modelName: "fake-teacher",
      apiKeyEnv: "LLM_KEY_FAKE_TEACHER",
      maxConcurrency,
      defaultSettings: { n: 2, temperature: 0 },
    },
    select: { id: true },
  });
  cleanup.systems.push(s.id);
  return s.id;
}

/** Worker loops in this process, each with its own id, until `stop`; `chunks` counts each one's chunks per job. */
function startWorkers(count: number) {
  const controller = new AbortController();
  const chunks = Array.from({ length: count }, () => new Map<string, number>());
  const loops = chunks.map((mine, w) => {
    const counting: ChunkHandler = (ctx) => {
      mine.set(ctx.job.id, (mine.get(ctx.job.id) ?? 0) + 1);
      return runGenerationChunk(ctx);
    };
    return runWorker({
      workerId: uniq(`worker${w}`),
      handlers: { [GENERATE_JOB]: runGenerationJob },
      chunkHandlers: { [GENERATE_JOB]: counting },
      leaseMs: 3000,
      pollMs: 20,
      signal: controller.signal,
    });
  });
  return {
    chunks,
    stop: async () => {
      controller.abort();
      await Promise.all(loops);
    },
  };
}

async function waitForJobs(jobIds: string[], timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const open = await prisma.job.count({ where: { id: { in: jobIds }, status: { in: ["QUEUED", "RUNNING"] } } });
    if (open === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`jobs ${jobIds.join(", ")} did not finish`);
}

/** How many teacher requests each of the set's sentences got. */
function callsPerItem(tag: string) {
  const calls = new Map<string, number>();
  for (const r of server.requests) {
    const m = r.prompt?.match(new RegExp(`Sentence ${tag} number (\\d+) `));
    if (m) calls.set(m[1], (calls.get(m[1]) ?? 0) + 1);
  }
  return calls;
}

async function outputsPerItem(setId: string, systemId: string) {
  const rows = await prisma.output.groupBy({
    by: ["itemId"],
    where: { systemId, item: { evalSetId: setId } },
    _count: true,
  });
  return rows.map((r) => r._count);
}

describe("a generation job run by several workers at once", () => {
  it("is shared: both workers run chunks of it, every item is asked once and stored once", async () => {
    const { setId, tag } = await makeSet(200);
    const systemId = await makeTeacher(6);
    const { jobId } = await startGeneration(admin, { evalSetId: setId, systemId });
    const workers = startWorkers(2);
    try {
      await waitForJobs([jobId]);
    } finally {
      await workers.stop();
    }
    const job = await prisma.job.findUniqueOrThrow({ where: { id: jobId } });
    expect(job).toMatchObject({
      status: "SUCCEEDED",
      progressDone: 200,
      errorCount: 0,
      chunkCount: Math.ceil(200 / CHUNK_ITEMS.teacher),
    });
    // The old queue gave the whole job to the first worker that claimed it: the other ran nothing.
    expect(workers.chunks[0].get(jobId)).toBeGreaterThan(0);
    expect(workers.chunks[1].get(jobId)).toBeGreaterThan(0);
    const calls = callsPerItem(tag);
    expect(calls.size).toBe(200);
    expect([...calls.values()].every((c) => c === 1)).toBe(true);
    const perItem = await outputsPerItem(setId, systemId);
    expect(perItem).toHaveLength(200);
    expect(perItem.every((c) => c === 2)).toBe(true);
  });

  it("holds the teacher's concurrency limit across workers, even on different jobs", async () => {
    // Two jobs of one teacher (limit 2): the old code gave each worker a job and its own limiter
    // of 2, so the teacher saw 4 calls at once.
    const a = await makeSet(48);
    const b = await makeSet(48);
    const systemId = await makeTeacher(2);
    const jobs = [
      (await startGeneration(admin, { evalSetId: a.setId, systemId })).jobId,
      (await startGeneration(admin, { evalSetId: b.setId, systemId })).jobId,
    ];
    const slow = await startFakeChatServer({ defaultReply: { type: "paraphrases", format: "numbered", delayMs: 30 } });
    await prisma.system.update({ where: { id: systemId }, data: { baseUrl: slow.baseUrl } });
    const workers = startWorkers(3);
    try {
      await waitForJobs(jobs);
    } finally {
      await workers.stop();
      await slow.close();
    }
    expect(await prisma.job.count({ where: { id: { in: jobs }, status: "SUCCEEDED" } })).toBe(2);
    expect(slow.requests).toHaveLength(96);
    expect(slow.maxInFlight).toBe(2);
  });

  it("takes again the chunk of a worker that died holding it (and its teacher slots) once their lease runs out", async () => {
    const { setId, tag } = await makeSet(2 * CHUNK_ITEMS.teacher);
    const systemId = await makeTeacher(2);
    const { jobId } = await startGeneration(admin, { evalSetId: setId, systemId });
    // A worker claims the first chunk and both of the teacher's slots, then dies without a word.
    const dead = await claimNextChunk({ workerId: "dead-worker", leaseMs: 800, types: [GENERATE_JOB], jobId });
    expect(dead).toMatchObject({ jobId, seq: 0, attempts: 1 });
    expect(
      await acquireSlots({ key: `system:${systemId}`, limit: 2, want: 2, holder: "dead-worker/slots", leaseMs: 800 }),
    ).toBe(2);
    const started = Date.now();
    const workers = startWorkers(1);
    try {
      await waitForJobs([jobId]);
    } finally {
      await workers.stop();
    }
    // Nothing could be called before the dead worker's slots lapsed.
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
    const chunks = await prisma.jobChunk.findMany({ where: { jobId }, orderBy: { seq: "asc" } });
    expect(chunks.map((c) => [c.status, c.attempts, c.doneCount])).toEqual([
      ["DONE", 2, CHUNK_ITEMS.teacher],
      ["DONE", 1, CHUNK_ITEMS.teacher],
    ]);
    expect(await prisma.job.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({
      status: "SUCCEEDED",
      progressDone: 2 * CHUNK_ITEMS.teacher,
    });
    const calls = callsPerItem(tag);
    expect(calls.size).toBe(2 * CHUNK_ITEMS.teacher);
    expect([...calls.values()].every((c) => c === 1)).toBe(true);
    expect((await outputsPerItem(setId, systemId)).every((c) => c === 2)).toBe(true);
    // The dead worker's late report, were it to come back, is refused: the chunk is no longer its.
    const late = await completeChunk({
      jobId,
      seq: 0,
      workerId: "dead-worker",
      report: { done: 0, errorCount: 9, lastError: "late", failures: null, retries: { upstream: 0, items: 0 } },
    });
    expect(late).toEqual({ held: false, finished: false });
  });
});
