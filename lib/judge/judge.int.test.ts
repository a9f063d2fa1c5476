import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { runWorker } from "@/lib/jobs";
import { createStudy, launchStudy } from "@/lib/studies";
import { makeStudyFixture, studyInput, type StudyFixture } from "@/prisma/testing/study-fixture";
import {
  startFakeChatServer,
  type FakeChatServer,
  type FakeReply,
  type RecordedRequest,
} from "@/lib/llm/testing/fake-chat-server";
import { getJobProgress } from "@/lib/jobs";
import { deleteUsers, makeUser, uniq } from "@/prisma/testing/factories";
import { NotFoundError } from "@/lib/errors";
import { getJudgeAgreement, getJudgeCost, JUDGE_JOB, listJudgeJobs, runJudgeJob, startJudging } from "./index";

let f: StudyFixture;
let studyId: string;
let server: FakeChatServer;
let judgeId: string;
let rivalJudgeId: string | undefined;
const KEYS = ["meaning", "fluency", "lexical_diversity", "syntactic_diversity"];

/** A judge that, like the simulated humans below, scores the teacher's text 5 and the student's 3. */
function judgeReply(req: RecordedRequest) {
  const prompt = req.prompt ?? "";
  const a = /Paraphrase A: TEACHER/.test(prompt) ? 5 : 3;
  const b = /Paraphrase B: TEACHER/.test(prompt) ? 5 : 3;
  const side = (v: number) => Object.fromEntries(KEYS.map((k) => [k, v]));
  return {
    type: "content" as const,
    content: "```json\n" + JSON.stringify({ A: side(a), B: side(b), preference: a > b ? "A" : "B" }) + "\n```",
  };
}

/**
 * Replies for prompts that fail on every try: the first prompts seen take the next reply of
 * `poisonNext` and keep it, so the same (pair, order) fails again when the job retries it.
 */
const poisoned = new Map<string, FakeReply>();
const poisonNext: FakeReply[] = [];
function replyFor(req: RecordedRequest): FakeReply {
  const prompt = req.prompt ?? "";
  if (!poisoned.has(prompt) && poisonNext.length > 0) poisoned.set(prompt, poisonNext.shift()!);
  return poisoned.get(prompt) ?? judgeReply(req);
}

beforeAll(async () => {
  f = await makeStudyFixture({ items: 8, annotators: 2 });
  server = await startFakeChatServer({ defaultReply: replyFor });
  studyId = (await createStudy(f.researcher, { ...studyInput(f), name: uniq("judge-study") } as never)).id;
  await launchStudy(f.researcher, { studyId } as never);
  judgeId = (
    await prisma.system.create({
      data: {
        name: uniq("judge"),
        role: "JUDGE",
        kind: "LLM_API",
        baseUrl: server.baseUrl,
        modelName: "judge",
        maxConcurrency: 2,
      },
      select: { id: true },
    })
  ).id;
  // Human ratings: both annotators on every regular pair, teacher side 5, student side 3 on most.
  const version = await prisma.instructionsVersion.findFirstOrThrow({
    where: { studyId },
    orderBy: { version: "desc" },
  });
  const pairs = await prisma.pair.findMany({ where: { studyId, kind: "REGULAR" } });
  for (const [n, p] of pairs.entries()) {
    for (const a of f.annotators) {
      const teacherOnLeft = (n + a.id.charCodeAt(0)) % 2 === 0;
      const t = n % 4 === 0 ? 4 : 5;
      const scores = Object.fromEntries(
        KEYS.map((k) => [k, teacherOnLeft ? { left: t, right: 3 } : { left: 3, right: t }]),
      );
      const asg = await prisma.assignment.create({
        data: { pairId: p.id, annotatorId: a.id, status: "SUBMITTED", teacherOnLeft, leaseExpiresAt: new Date() },
      });
      await prisma.rating.create({
        data: {
          assignmentId: asg.id,
          studyId,
          pairId: p.id,
          annotatorId: a.id,
          instructionsVersionId: version.id,
          teacherOnLeft,
          scores,
          preference: teacherOnLeft ? "LEFT" : "RIGHT",
          activeMs: 5000,
        },
      });
    }
  }
});
afterAll(async () => {
  await prisma.study.delete({ where: { id: studyId } });
  await prisma.system.delete({ where: { id: judgeId } });
  if (rivalJudgeId) await prisma.system.delete({ where: { id: rivalJudgeId } });
  await prisma.job.deleteMany({ where: { createdById: f.researcher.id } });
  await f.remove();
  await server.close();
});

describe("the LLM judge", () => {
  it("rates every regular pair in both orders, blind, retries failures and counts refusals and malformed replies", async () => {
    poisonNext.push(
      { type: "error", status: 400, message: "This request was rejected" }, // refused (HTTP 400) on every try
      { type: "content", content: "I'm unable to compare these." }, // the judge declines on every try
      { type: "content", content: '{"A": {"meaning": 7}}' }, // malformed on every try
    );
    server.enqueue({ type: "rate-limit", retryAfterMs: 10 }); // one 429, retried by the client
    const before = server.requests.length;
    const { jobId, total } = await startJudging(f.researcher, { studyId, judgeSystemId: judgeId });
    await runWorker({ handlers: { [JUDGE_JOB]: runJudgeJob }, maxJobs: 1, pollMs: 50 });
    const job = await getJobProgress(f.researcher, jobId);
    expect(job).toMatchObject({
      status: "SUCCEEDED",
      statusLabel: "completed with 3 failures",
      errorCount: 3,
      failureCounts: { refused: 2, malformed: 1, other: 0 },
      retries: { upstream: 1, items: 6 },
    });
    expect(job.failedItems.map((i) => [i.kind, i.attempts])).toEqual(
      expect.arrayContaining([
        ["refused", 3],
        ["refused", 3],
        ["malformed", 3],
      ]),
    );
    expect(job.failedItems.map((i) => i.reason).join("\n")).toMatch(
      /HTTP 400[\s\S]*refused to rate|refused to rate[\s\S]*HTTP 400/,
    );
    // total requests: every (pair, order) once, three of them three times, plus the 429
    expect(server.requests.length - before).toBe(total + 3 * 2 + 1);
    poisoned.clear();
    const stored = await prisma.judgeRating.findMany({ where: { studyId } });
    expect(stored).toHaveLength(total - 3);
    expect(new Set(stored.map((s) => `${s.pairId}:${s.teacherOnLeft}`)).size).toBe(stored.length);
    // The judge's tokens are recorded per call, as its endpoint reported them (for cost).
    expect(stored.every((s) => (s.promptTokens ?? 0) > 0 && (s.completionTokens ?? 0) > 0)).toBe(true);
    for (const req of server.requests)
      expect(req.prompt).not.toMatch(new RegExp(`${f.teacher.name}|${f.students[0].name}`));
    // Both orders were asked: for some pair the teacher's text was A, for the same pair B.
    expect(stored.some((s) => s.teacherOnLeft) && stored.some((s) => !s.teacherOnLeft)).toBe(true);
    // Judge ratings stay apart from human ratings.
    expect(await prisma.rating.count({ where: { studyId } })).toBe(16);
  });

  it("a second run only asks for what is missing", async () => {
    const before = server.requests.length;
    await startJudging(f.researcher, { studyId, judgeSystemId: judgeId });
    await runWorker({ handlers: { [JUDGE_JOB]: runJudgeJob }, maxJobs: 1, pollMs: 50 });
    expect(server.requests.length - before).toBe(3);
    expect(await prisma.judgeRating.count({ where: { studyId } })).toBe(16);
  });

  it("refuses a system that is not an LLM judge, and a study without pairs", async () => {
    await expect(startJudging(f.researcher, { studyId, judgeSystemId: f.teacher.id })).rejects.toThrow(
      /not an LLM judge/,
    );
    const draftId = (await createStudy(f.researcher, { ...studyInput(f), name: uniq("judge-draft") } as never)).id;
    try {
      await expect(startJudging(f.researcher, { studyId: draftId, judgeSystemId: judgeId })).rejects.toThrow(
        /launch it first/,
      );
    } finally {
      await prisma.study.delete({ where: { id: draftId } });
    }
  });

  it("reports the judge's agreement with the annotators", async () => {
    const r = await getJudgeAgreement(f.researcher, studyId);
    expect(r.comparablePairs).toBe(8);
    const meaning = r.criteria.find((c) => c.criterion === "meaning")!;
    expect(meaning.judgeMean).toEqual({ teacher: 5, student: 3 });
    expect(meaning.humanMean.student).toBe(3);
    expect(meaning.spearman.ok && meaning.spearman.r).toBeGreaterThan(0.8);
    expect(meaning.alpha.ok && meaning.alpha.alpha).toBeGreaterThan(0.8);
    expect(r.preferenceAgreement.ok && r.preferenceAgreement.estimate).toBe(1);
    expect(r.judgeLeftShare).toBeCloseTo(0.5, 5);
    // The loopback judge prefers the teacher in both orders: its verdict never flips with the sides.
    expect(r.flipRate).toEqual({ flipped: 0, pairs: 8, share: 0 });
    // Labels from the instructions, as the results page shows them, not criterion keys.
    expect(meaning.label).not.toBe("meaning");
    expect(meaning.label.length).toBeGreaterThan(0);
  });

  it("adds up the judge's tokens and prices them once an admin sets a price", async () => {
    const stored = await prisma.judgeRating.findMany({ where: { studyId, judgeSystemId: judgeId } });
    const prompt = stored.reduce((a, s) => a + (s.promptTokens ?? 0), 0);
    const completion = stored.reduce((a, s) => a + (s.completionTokens ?? 0), 0);
    const [unpriced] = await getJudgeCost(f.researcher, studyId);
    expect(unpriced).toMatchObject({ calls: stored.length, promptTokens: prompt, completionTokens: completion });
    expect(unpriced.cost).toEqual({ reason: expect.stringMatching(/no price per token/) });
    await prisma.system.update({
      where: { id: judgeId },
      data: { inputPricePerMTokens: 5, outputPricePerMTokens: 15 },
    });
    const [priced] = await getJudgeCost(f.researcher, studyId);
    const value = (prompt * 5 + completion * 15) / 1e6;
    expect(priced.cost).toEqual({ value, perCall: value / stored.length });
    expect(value).toBeGreaterThan(0);
  });

  it("reports one judge, not a mix, when a second judge has rated some pairs", async () => {
    const rival = await prisma.system.create({
      data: { name: uniq("rival-judge"), role: "JUDGE", kind: "LLM_API" },
      select: { id: true },
    });
    rivalJudgeId = rival.id;
    const pair = await prisma.pair.findFirstOrThrow({ where: { studyId, kind: "REGULAR" } });
    const ones = Object.fromEntries(KEYS.map((k) => [k, { left: 1, right: 1 }]));
    await prisma.judgeRating.createMany({
      data: [true, false].map((teacherOnLeft) => ({
        studyId,
        pairId: pair.id,
        judgeSystemId: rival.id,
        teacherOnLeft,
        scores: ones,
        preference: "TIE" as const,
        rawReply: "",
      })),
    });
    const r = await getJudgeAgreement(f.researcher, studyId);
    const { name } = await prisma.system.findUniqueOrThrow({ where: { id: judgeId }, select: { name: true } });
    expect(r.judgeName).toBe(name);
    expect(r.judgedPairs).toBe(8);
    expect(r.comparablePairs).toBe(8);
    expect(r.criteria.find((c) => c.criterion === "meaning")!.judgeMean).toEqual({ teacher: 5, student: 3 });
    expect(r.judgeLeftShare).toBeCloseTo(0.5, 5);
  });

  it("shows and runs the judge only for the study's own people: another researcher learns nothing", async () => {
    const stranger = await makeUser("RESEARCHER");
    try {
      await expect(getJudgeAgreement(stranger, studyId)).rejects.toBeInstanceOf(NotFoundError);
      await expect(listJudgeJobs(stranger, studyId)).rejects.toBeInstanceOf(NotFoundError);
      await expect(getJudgeCost(stranger, studyId)).rejects.toBeInstanceOf(NotFoundError);
      await expect(startJudging(stranger, { studyId, judgeSystemId: judgeId })).rejects.toBeInstanceOf(NotFoundError);
      expect(await prisma.job.count({ where: { createdById: stranger.id } })).toBe(0);
    } finally {
      await deleteUsers(stranger.id);
    }
  });

  it("says there is nothing to compare rather than printing numbers for a study without judge ratings", async () => {
    await prisma.judgeRating.deleteMany({ where: { studyId } });
    const r = await getJudgeAgreement(f.researcher, studyId);
    expect(r.preferenceAgreement).toMatchObject({ ok: false, reason: expect.stringMatching(/only 0 pairs/) });
  });
});
