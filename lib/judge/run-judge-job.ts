import { placeSides } from "@/lib/annotation";
import { chatConfigFor, completeChat, createLimiter, TeacherError } from "@/lib/llm";
import { FailureLog, runItemWithRetries, type ItemFailure, type JobContext, type JobOutcome } from "@/lib/jobs";
import { buildJudgePrompt, JudgeReplyError, parseJudgeReply } from "./prompt";
import { countJudgements, findJudgeEndpoint, latestCriteria, remainingJudgements, storeJudgeRating } from "./queries";
import { JudgePayload } from "./start-judging";

/**
 * Sorts a failed judgement into the job's failure kinds: an HTTP 4xx or a judge that declined is
 * `refused`, an unreadable reply `malformed`, the rest (time-outs, 5xx after retries) `other`.
 * Wrong key, URL or model (401, 403, 404) is not retried: another try cannot fix it.
 */
function classifyJudgeFailure(err: unknown): ItemFailure {
  if (err instanceof JudgeReplyError) return { kind: err.kind, reason: err.message, retry: true };
  if (err instanceof TeacherError) {
    if (err.kind === "http")
      return { kind: "refused", reason: err.message, retry: ![401, 403, 404].includes(err.status ?? 0) };
    if (err.kind === "no_list" || err.kind === "bad_response")
      return { kind: "malformed", reason: err.message, retry: true };
    return { kind: "other", reason: err.message, retry: err.kind !== "aborted" };
  }
  throw err;
}

/** Runs (or resumes) a judge job; malformed replies and refusals are counted, never guessed. */
export async function runJudgeJob(ctx: JobContext): Promise<JobOutcome> {
  const { studyId, systemId } = JudgePayload.parse(ctx.job.payload);
  const judge = await findJudgeEndpoint(systemId);
  if (!judge?.baseUrl || !judge.modelName) return { status: "FAILED", lastError: "The judge system has no endpoint" };
  const criteria = await latestCriteria(studyId);
  if (criteria.length === 0) return { status: "FAILED", lastError: "The study has no criteria" };
  const config = { ...chatConfigFor(judge), temperature: 0 };
  const limiter = createLimiter(judge.maxConcurrency);
  const log = new FailureLog();
  for (;;) {
    const batch = await remainingJudgements({ studyId, systemId, skip: log.ids, limit: 32 });
    if (batch.length === 0) break;
    await Promise.all(
      batch.map((t) =>
        limiter.run(() => {
          const { left, right } = placeSides(t.teacherOnLeft, t.teacher, t.student);
          return runItemWithRetries({
            item: {
              id: `${t.pairId}:${t.teacherOnLeft}`,
              label: `pair ${t.pairId.slice(0, 8)} (${t.teacherOnLeft ? "teacher left" : "teacher right"})`,
            },
            log,
            classify: (err) => {
              if (err instanceof TeacherError) log.upstreamRetries += err.attempts - 1;
              return classifyJudgeFailure(err);
            },
            run: async () => {
              const reply = await completeChat({
                config,
                prompt: buildJudgePrompt({ source: t.source, a: left, b: right, criteria }),
              });
              log.upstreamRetries += reply.attempts - 1;
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
            },
          });
        }),
      ),
    );
    const { stop, cancelled } = await ctx.checkpoint(log.progress(await countJudgements(studyId, systemId)));
    if (cancelled) return { status: "CANCELLED" };
    if (stop) return { status: "FAILED", lastError: "lease lost" };
  }
  const done = await countJudgements(studyId, systemId);
  await ctx.checkpoint(log.progress(done));
  const lastError = log.lastReason;
  return done === 0 && log.size > 0 ? { status: "FAILED", lastError } : { status: "SUCCEEDED", lastError };
}
