import { placeSides } from "@/lib/annotation";
import { chatConfigFor, completeChat, createLimiter, TeacherError } from "@/lib/llm";
import type { JobContext, JobOutcome } from "@/lib/jobs";
import { buildJudgePrompt, JudgeReplyError, parseJudgeReply } from "./prompt";
import { countJudgements, findJudgeEndpoint, latestCriteria, remainingJudgements, storeJudgeRating } from "./queries";
import { JudgePayload } from "./start-judging";

/** Runs (or resumes) a judge job; malformed replies and refusals are counted, never guessed. */
export async function runJudgeJob(ctx: JobContext): Promise<JobOutcome> {
  const { studyId, systemId } = JudgePayload.parse(ctx.job.payload);
  const judge = await findJudgeEndpoint(systemId);
  if (!judge?.baseUrl || !judge.modelName) return { status: "FAILED", lastError: "The judge system has no endpoint" };
  const criteria = await latestCriteria(studyId);
  if (criteria.length === 0) return { status: "FAILED", lastError: "The study has no criteria" };
  const config = { ...chatConfigFor(judge), temperature: 0 };
  const limiter = createLimiter(judge.maxConcurrency);
  const failed: string[] = [];
  let lastError: string | null = null;
  for (;;) {
    const batch = await remainingJudgements({ studyId, systemId, skip: failed, limit: 32 });
    if (batch.length === 0) break;
    await Promise.all(
      batch.map((t) =>
        limiter.run(async () => {
          const { left, right } = placeSides(t.teacherOnLeft, t.teacher, t.student);
          try {
            const reply = await completeChat({
              config,
              prompt: buildJudgePrompt({ source: t.source, a: left, b: right, criteria }),
            });
            const parsed = parseJudgeReply(
              reply.content,
              criteria.map((c) => c.key),
            );
            await storeJudgeRating({
              studyId,
              pairId: t.pairId,
              judgeSystemId: systemId,
              teacherOnLeft: t.teacherOnLeft,
              scores: parsed.scores,
              preference: parsed.preference,
              rawReply: reply.content,
              promptTokens: reply.completion.usage?.prompt_tokens ?? null,
              completionTokens: reply.completion.usage?.completion_tokens ?? null,
            });
          } catch (err) {
            if (!(err instanceof JudgeReplyError || err instanceof TeacherError)) throw err;
            failed.push(`${t.pairId}:${t.teacherOnLeft}`);
            lastError = err.message;
          }
        }),
      ),
    );
    const { stop, cancelled } = await ctx.checkpoint({
      done: await countJudgements(studyId, systemId),
      errorCount: failed.length,
      lastError,
    });
    if (cancelled) return { status: "CANCELLED" };
    if (stop) return { status: "FAILED", lastError: "lease lost" };
  }
  const done = await countJudgements(studyId, systemId);
  await ctx.checkpoint({ done, errorCount: failed.length, lastError });
  return done === 0 && failed.length > 0 ? { status: "FAILED", lastError } : { status: "SUCCEEDED", lastError };
}
