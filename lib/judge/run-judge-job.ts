import { prisma } from "@/lib/db";
import { completeChat, createLimiter, llmCallLimits, TeacherError } from "@/lib/generation/teacher";
import type { JobContext, JobOutcome } from "@/lib/jobs";
import { buildJudgePrompt, JudgeReplyError, parseJudgeReply, type JudgeCriterion } from "./prompt";
import { JudgePayload } from "./start-judging";

interface Todo {
  pairId: string;
  teacherOnLeft: boolean;
  source: string;
  teacher: string;
  student: string;
}

/** (pair, order) combinations of regular pairs that have no judge rating yet. */
function remaining(studyId: string, systemId: string, skip: string[], limit: number) {
  return prisma.$queryRaw<Todo[]>`
    SELECT p.id AS "pairId", o.tol AS "teacherOnLeft", i.source, t.text AS teacher, s.text AS student
    FROM "Pair" p
    JOIN "EvalItem" i ON i.id = p."itemId"
    JOIN "Output" t ON t.id = p."teacherOutputId"
    JOIN "Output" s ON s.id = p."studentOutputId"
    CROSS JOIN (VALUES (true), (false)) AS o(tol)
    WHERE p."studyId" = ${studyId}::uuid AND p.kind = 'REGULAR'
      AND NOT EXISTS (SELECT 1 FROM "JudgeRating" j WHERE j."pairId" = p.id AND j."judgeSystemId" = ${systemId}::uuid AND j."teacherOnLeft" = o.tol)
      AND NOT ((p.id::text || ':' || o.tol::text) = ANY(${skip}::text[]))
    ORDER BY p."shuffleKey", o.tol DESC
    LIMIT ${limit}`;
}

async function doneCount(studyId: string, systemId: string) {
  return prisma.judgeRating.count({ where: { studyId, judgeSystemId: systemId } });
}

/** Runs (or resumes) a judge job; malformed replies and refusals are counted, never guessed. */
export async function runJudgeJob(ctx: JobContext): Promise<JobOutcome> {
  const { studyId, systemId } = JudgePayload.parse(ctx.job.payload);
  const judge = await prisma.system.findUnique({ where: { id: systemId }, select: { baseUrl: true, modelName: true, apiKeyEnv: true, maxConcurrency: true } });
  if (!judge?.baseUrl || !judge.modelName) return { status: "FAILED", lastError: "The judge system has no endpoint" };
  const version = await prisma.instructionsVersion.findFirst({ where: { studyId }, orderBy: { version: "desc" }, select: { criteria: true } });
  const criteria = ((version?.criteria ?? []) as unknown as JudgeCriterion[]).map((c) => ({ key: c.key, label: c.label, description: c.description ?? "" }));
  if (criteria.length === 0) return { status: "FAILED", lastError: "The study has no criteria" };
  const config = {
    baseUrl: judge.baseUrl, model: judge.modelName, apiKey: (judge.apiKeyEnv && process.env[judge.apiKeyEnv]) || "",
    temperature: 0, ...llmCallLimits(),
  };
  const limiter = createLimiter(judge.maxConcurrency);
  const failed: string[] = [];
  let lastError: string | null = null;
  for (;;) {
    const batch = await remaining(studyId, systemId, failed, 32);
    if (batch.length === 0) break;
    await Promise.all(batch.map((t) => limiter.run(async () => {
      const [left, right] = t.teacherOnLeft ? [t.teacher, t.student] : [t.student, t.teacher];
      try {
        const reply = await completeChat({ config, prompt: buildJudgePrompt({ source: t.source, a: left, b: right, criteria }) });
        const parsed = parseJudgeReply(reply.content, criteria.map((c) => c.key));
        await prisma.judgeRating.createMany({
          data: [{ studyId, pairId: t.pairId, judgeSystemId: systemId, teacherOnLeft: t.teacherOnLeft, scores: parsed.scores, preference: parsed.preference, rawReply: reply.content }],
          skipDuplicates: true,
        });
      } catch (err) {
        if (!(err instanceof JudgeReplyError || err instanceof TeacherError)) throw err;
        failed.push(`${t.pairId}:${t.teacherOnLeft}`);
        lastError = err.message;
      }
    })));
    const { stop, cancelled } = await ctx.checkpoint({ done: await doneCount(studyId, systemId), errorCount: failed.length, lastError });
    if (cancelled) return { status: "CANCELLED" };
    if (stop) return { status: "FAILED", lastError: "lease lost" };
  }
  const done = await doneCount(studyId, systemId);
  await ctx.checkpoint({ done, errorCount: failed.length, lastError });
  return done === 0 && failed.length > 0 ? { status: "FAILED", lastError } : { status: "SUCCEEDED", lastError };
}
