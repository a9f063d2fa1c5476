import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { prisma } from "@/lib/db";
import type { Actor } from "@/lib/auth/permissions";
import { runWorker } from "@/lib/jobs";
import { deleteUsers, makeUser, uniq } from "@/prisma/testing/factories";
import { startFakeChatServer, type FakeChatServer } from "@/lib/llm/testing/fake-chat-server";
import { cancelJob, getJobProgress } from "@/lib/jobs";
import { GENERATE_JOB, runGenerationChunk, runGenerationJob, startGeneration } from "./index";

let admin: Actor;
let server: FakeChatServer;
const cleanup: { sets: string[]; systems: string[] } = { sets: [], systems: [] };

beforeAll(async () => {
  admin = await makeUser("ADMIN");
  server = await startFakeChatServer({ defaultReply: { type: "paraphrases", format: "numbered", delayMs: 5 } });
  process.env.LLM_KEY_FAKE_TEACHER = "sk-test-secret";
});
afterAll(async () => {
  await prisma.evalSet.deleteMany({ where: { id: { in: cleanup.sets } } });
  await prisma.job.deleteMany({ where: { createdById: admin.id } });
  await prisma.system.deleteMany({ where: { id: { in: cleanup.systems } } });
  await deleteUsers(admin.id);
  await server.close();
});

async function makeSet(n: number) {
  const set = await prisma.evalSet.create({
    data: {
      name: uniq("gen-set"),
      items: {
        create: Array.from({ length: n }, (_, i) => ({
          externalId: `i${i}`,
          position: i,
          source: `Sentence number ${i} was written by the tester.`,
          references: [],
        })),
      },
    },
    select: { id: true },
  });
  cleanup.sets.push(set.id);
  return set.id;
}

async function makeTeacher(opts: { maxConcurrency?: number } = {}) {
  const s = await prisma.system.create({
    data: {
      name: uniq("teacher"),
      role: "TEACHER",
      kind: "LLM_API",
      baseUrl: server.baseUrl,
      modelName: "fake-teacher",
      apiKeyEnv: "LLM_KEY_FAKE_TEACHER",
      maxConcurrency: opts.maxConcurrency ?? 4,
      defaultSettings: { n: 3, temperature: 0 },
    },
    select: { id: true },
  });
  cleanup.systems.push(s.id);
  return s.id;
}

/** Runs a worker in this process, one job at a time, until the given job has finished. */
async function drain(jobId: string) {
  for (let i = 0; i < 20; i++) {
    const { status } = await prisma.job.findUniqueOrThrow({ where: { id: jobId }, select: { status: true } });
    if (!["QUEUED", "RUNNING"].includes(status)) return;
    await runWorker({
      handlers: { [GENERATE_JOB]: runGenerationJob },
      chunkHandlers: { [GENERATE_JOB]: runGenerationChunk },
      maxJobs: 1,
      pollMs: 50,
      leaseMs: 5000,
    });
  }
  throw new Error(`job ${jobId} did not finish`);
}

async function outputsPerItem(setId: string, systemId: string) {
  const rows = await prisma.output.groupBy({
    by: ["itemId"],
    where: { systemId, item: { evalSetId: setId } },
    _count: true,
  });
  return rows.map((r) => r._count);
}

describe("generation with the teacher LLM", () => {
  it("stores n paraphrases per item with settings, latency, tokens and the raw reply", async () => {
    const setId = await makeSet(5);
    const systemId = await makeTeacher();
    const before = server.requests.length;
    const { jobId } = await startGeneration(admin, { evalSetId: setId, systemId });
    await drain(jobId);
    const job = await getJobProgress(admin, jobId);
    expect(job).toMatchObject({ status: "SUCCEEDED", done: 5, total: 5, errorCount: 0 });
    expect(await outputsPerItem(setId, systemId)).toEqual([3, 3, 3, 3, 3]);
    const out = await prisma.output.findFirstOrThrow({ where: { systemId, rank: 0 } });
    expect(out.rawReply).toMatch(/^1\./);
    expect(out.latencyMs).toBeGreaterThan(0);
    expect(out.settings).toMatchObject({ n: 3, temperature: 0 });
    const sent = server.requests.slice(before);
    expect(sent).toHaveLength(5);
    expect(sent[0].authorization).toBe("Bearer sk-test-secret");
    expect(sent[0].temperature).toBe(0);
    expect(sent[0].prompt).toMatch(/3/);
  });

  it("reuses stored outputs when asked again with the same settings", async () => {
    const setId = await makeSet(3);
    const systemId = await makeTeacher();
    const first = await startGeneration(admin, { evalSetId: setId, systemId });
    await drain(first.jobId);
    const before = server.requests.length;
    const again = await startGeneration(admin, { evalSetId: setId, systemId, settings: { temperature: 0 } });
    expect(again.reused).toBe(3);
    expect((await getJobProgress(admin, again.jobId)).status).toBe("SUCCEEDED");
    expect(await getJobProgress(admin, again.jobId)).toMatchObject({ done: 3, total: 3 });
    expect(server.requests.length).toBe(before);
    const other = await startGeneration(admin, { evalSetId: setId, systemId, settings: { n: 2 } });
    expect(other.reused).toBe(0);
    await cancelJob(admin, other.jobId);
  });

  it("tries failed items again within the job and ends 'completed with N failures', listing items, kinds and reasons", async () => {
    const setId = await makeSet(4);
    const systemId = await makeTeacher({ maxConcurrency: 1 });
    const refusal = { type: "error" as const, status: 400, message: "bad request for key sk-test-secret" };
    server.enqueue(
      ...Array.from({ length: 3 }, () => ({ type: "no-list" as const })), // item 0: malformed on every try
      refusal, // item 1: refused on every try
      refusal,
      refusal,
      { type: "no-list" }, // item 2: malformed once, then paraphrased on its second try
      { type: "rate-limit", retryAfterMs: 10 }, // item 3: two 429s the client retries, then paraphrased
      { type: "rate-limit", retryAfterMs: 10 },
    );
    const before = server.requests.length;
    const { jobId } = await startGeneration(admin, { evalSetId: setId, systemId });
    await drain(jobId);
    const job = await getJobProgress(admin, jobId);
    expect(job).toMatchObject({
      status: "SUCCEEDED",
      statusLabel: "completed with 2 failures",
      done: 2,
      errorCount: 2,
      failureCounts: { refused: 1, malformed: 1, other: 0 },
      retries: { upstream: 2, items: 5 },
    });
    expect(job.failedItems).toEqual([
      expect.objectContaining({ label: expect.stringMatching(/^Sentence number 0/), kind: "malformed", attempts: 3 }),
      expect.objectContaining({ label: expect.stringMatching(/^Sentence number 1/), kind: "refused", attempts: 3 }),
    ]);
    expect(job.failedItems[0].reason).toMatch(/list/i);
    expect(job.failedItems[1].reason).toMatch(/HTTP 400/);
    // The upstream's message is redacted before it is stored and shown.
    expect(JSON.stringify(job)).not.toContain("sk-test-secret");
    expect(await outputsPerItem(setId, systemId)).toEqual([3, 3]);
    expect(server.requests.length - before).toBe(3 + 3 + 2 + 3);
  });

  it("does not retry an item the endpoint refuses for a wrong key, URL or model (401, 403, 404)", async () => {
    const setId = await makeSet(1);
    const systemId = await makeTeacher({ maxConcurrency: 1 });
    server.enqueue({ type: "error", status: 404, message: "no such model" });
    const before = server.requests.length;
    const { jobId } = await startGeneration(admin, { evalSetId: setId, systemId });
    await drain(jobId);
    const job = await getJobProgress(admin, jobId);
    expect(job).toMatchObject({
      status: "FAILED",
      errorCount: 1,
      failureCounts: { refused: 1, malformed: 0, other: 0 },
    });
    expect(server.requests.length - before).toBe(1);
  });

  it("says why an item whose reply only repeats the sentence counts as an error", async () => {
    const setId = await makeSet(2);
    const systemId = await makeTeacher({ maxConcurrency: 1 });
    const copies = {
      type: "content" as const,
      content: "1. Sentence number 0 was written by the tester.\n2. Sentence number 0 was written by the tester.",
    };
    server.enqueue(copies, copies, copies); // the first try and both retries
    const { jobId } = await startGeneration(admin, { evalSetId: setId, systemId });
    await drain(jobId);
    const job = await getJobProgress(admin, jobId);
    expect(job).toMatchObject({ status: "SUCCEEDED", done: 1, errorCount: 1 });
    expect(job.lastError).toMatch(/Sentence number 0.*only copies of the sentence/);
    expect(job.failureCounts).toEqual({ refused: 0, malformed: 1, other: 0 });
  });

  it("refuses settings that make no sense, saying which", async () => {
    const setId = await makeSet(1);
    const systemId = await makeTeacher();
    await expect(startGeneration(admin, { evalSetId: setId, systemId, settings: { n: 0 } })).rejects.toThrow(/n/);
  });

  it("refuses to generate with the LLM judge, whose outputs would appear nowhere", async () => {
    const setId = await makeSet(1);
    const judge = await prisma.system.create({
      data: { name: uniq("judge"), role: "JUDGE", kind: "LLM_API", baseUrl: server.baseUrl, modelName: "fake-judge" },
      select: { id: true },
    });
    cleanup.systems.push(judge.id);
    await expect(startGeneration(admin, { evalSetId: setId, systemId: judge.id })).rejects.toThrow(/is the LLM judge/);
    expect(
      await prisma.job.count({ where: { createdById: admin.id, payload: { path: ["systemId"], equals: judge.id } } }),
    ).toBe(0);
  });

  it("cancels a queued job at once and keeps nothing half-written", async () => {
    const setId = await makeSet(2);
    const systemId = await makeTeacher();
    const { jobId } = await startGeneration(admin, { evalSetId: setId, systemId });
    expect((await cancelJob(admin, jobId)).status).toBe("CANCELLED");
    expect(await outputsPerItem(setId, systemId)).toEqual([]);
  });
});

describe("cancelling a running job", () => {
  it("stops it at the worker's next checkpoint, keeping the outputs made so far", async () => {
    const slow = await startFakeChatServer({ defaultReply: { type: "paraphrases", format: "numbered", delayMs: 40 } });
    try {
      const setId = await makeSet(200);
      const s = await prisma.system.create({
        data: {
          name: uniq("teacher"),
          role: "TEACHER",
          kind: "LLM_API",
          baseUrl: slow.baseUrl,
          modelName: "fake",
          apiKeyEnv: "LLM_KEY_FAKE_TEACHER",
          maxConcurrency: 4,
          defaultSettings: { n: 2 },
        },
        select: { id: true },
      });
      cleanup.systems.push(s.id);
      const { jobId } = await startGeneration(admin, { evalSetId: setId, systemId: s.id });
      const worker = drain(jobId);
      expect(await waitUntil(async () => (await prisma.output.count({ where: { systemId: s.id } })) > 0, 30_000)).toBe(
        true,
      );
      expect(await cancelJob(admin, jobId)).toMatchObject({ status: "RUNNING", cancelRequested: true });
      await worker;
      const job = await getJobProgress(admin, jobId);
      expect(job.status).toBe("CANCELLED");
      const perItem = await outputsPerItem(setId, s.id);
      expect(perItem.length).toBeGreaterThan(0);
      expect(perItem.length).toBeLessThan(200);
      expect(perItem.every((c) => c === 2)).toBe(true);
    } finally {
      await slow.close();
    }
  });
});

function spawnWorker(leaseMs: number): ChildProcess {
  // One process (tsx as a loader, not npx -> tsx -> node), so SIGKILL really kills the worker.
  return spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: inject("databaseUrl"),
      WORKER_LEASE_MS: String(leaseMs),
      WORKER_POLL_MS: "100",
    },
    stdio: "ignore",
  });
}

async function waitUntil(fn: () => Promise<boolean>, timeoutMs: number) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await fn()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

describe("a worker killed mid-job", () => {
  it("is resumed by another worker with exactly one output per rank per item", async () => {
    const slow = await startFakeChatServer({ defaultReply: { type: "paraphrases", format: "numbered", delayMs: 150 } });
    try {
      const setId = await makeSet(80);
      const s = await prisma.system.create({
        data: {
          name: uniq("teacher"),
          role: "TEACHER",
          kind: "LLM_API",
          baseUrl: slow.baseUrl,
          modelName: "fake",
          apiKeyEnv: "LLM_KEY_FAKE_TEACHER",
          maxConcurrency: 4,
          defaultSettings: { n: 2 },
        },
        select: { id: true },
      });
      cleanup.systems.push(s.id);
      const { jobId } = await startGeneration(admin, { evalSetId: setId, systemId: s.id });
      const first = spawnWorker(1500);
      const started = await waitUntil(
        async () => (await prisma.output.count({ where: { systemId: s.id } })) >= 6,
        60_000,
      );
      expect(started).toBe(true);
      first.kill("SIGKILL");
      await new Promise((r) => first.once("exit", r));
      const midway = await prisma.output.count({ where: { systemId: s.id } });
      expect(midway).toBeLessThan(160);
      const second = spawnWorker(1500);
      const finished = await waitUntil(
        async () => (await prisma.job.findUniqueOrThrow({ where: { id: jobId } })).status === "SUCCEEDED",
        90_000,
      );
      second.kill("SIGTERM");
      expect(finished).toBe(true);
      const job = await prisma.job.findUniqueOrThrow({ where: { id: jobId } });
      // The killed worker held both chunks (64 and 16 items) (it claims its next chunk as soon as the first has handed
      // out all its calls, so the slots pass from one to the next without a gap): both were
      // claimed again by the second worker, and nothing was stored twice.
      const chunks = await prisma.jobChunk.findMany({ where: { jobId }, orderBy: { seq: "asc" } });
      expect(chunks.map((c) => [c.status, c.attempts])).toEqual([
        ["DONE", 2],
        ["DONE", 2],
      ]);
      expect(job.progressDone).toBe(80);
      const perItem = await outputsPerItem(setId, s.id);
      expect(perItem).toHaveLength(80);
      expect(perItem.every((c) => c === 2)).toBe(true);
    } finally {
      await slow.close();
    }
  });
});

describe("generation that reuses some outputs", () => {
  it("queues the job with the reused items already counted as done", async () => {
    const setId = await makeSet(3);
    const systemId = await makeTeacher();
    const first = await startGeneration(admin, { evalSetId: setId, systemId });
    await drain(first.jobId);
    const extra = await prisma.evalItem.create({
      data: {
        evalSetId: setId,
        externalId: "late",
        position: 3,
        source: "A sentence added after the first run.",
        references: [],
      },
      select: { id: true },
    });
    const again = await startGeneration(admin, { evalSetId: setId, systemId });
    expect(again).toMatchObject({ reused: 3, total: 4 });
    expect(await getJobProgress(admin, again.jobId)).toMatchObject({ status: "QUEUED", done: 3, total: 4, reused: 3 });
    await drain(again.jobId);
    const finished = await getJobProgress(admin, again.jobId);
    expect(finished).toMatchObject({ status: "SUCCEEDED", done: 4, total: 4, reused: 3 });
    // The job remembers the three it found done, so its rate counts only the one it made (job-progress.test.ts).
    expect((await prisma.job.findUniqueOrThrow({ where: { id: again.jobId } })).reusedCount).toBe(3);
    expect(await prisma.output.count({ where: { itemId: extra.id, systemId } })).toBe(3);
  });
});
