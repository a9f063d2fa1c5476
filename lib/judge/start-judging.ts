import { z } from "zod";
import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { prisma, type Db, type DbOrTx } from "@/lib/db";
import { env } from "@/lib/env";
import { requireId } from "@/lib/ids";
import { requireStudyAccess } from "@/lib/studies";
import { insertJob, JOB_TYPES } from "@/lib/jobs";

export const JUDGE_JOB = JOB_TYPES.JUDGE.type;
const JUDGE_SYSTEM_NAME = "judge-llm";
export const JudgePayload = z.object({ studyId: z.uuid(), systemId: z.uuid() });

/** The judge configured by JUDGE_BASE_URL / JUDGE_MODEL / JUDGE_API_KEY, registered once. */
export async function ensureJudgeSystem(db: DbOrTx = prisma): Promise<string | null> {
  const e = env();
  const existing = await db.system.findUnique({ where: { name: JUDGE_SYSTEM_NAME }, select: { id: true } });
  if (existing) return existing.id;
  if (!e.JUDGE_BASE_URL) return null;
  // An upsert, not a create: two first clicks (or the seed beside one) must not collide on the name.
  const created = await db.system.upsert({
    where: { name: JUDGE_SYSTEM_NAME },
    create: {
      name: JUDGE_SYSTEM_NAME,
      role: "JUDGE",
      kind: "LLM_API",
      baseUrl: e.JUDGE_BASE_URL,
      modelName: e.JUDGE_MODEL,
      apiKeyEnv: "JUDGE_API_KEY",
      defaultSettings: { temperature: 0 },
      description: `LLM judge, model ${e.JUDGE_MODEL} (from JUDGE_BASE_URL)`,
    },
    update: {},
    select: { id: true },
  });
  return created.id;
}

/**
 * Queues the judge over a study's regular pairs, each in both orders (teacher left, then right)
 * so the judge's own position bias cancels out. Pairs already judged in an order are skipped.
 */
export async function startJudging(
  actor: Actor | null,
  input: { studyId: string; judgeSystemId?: string },
  db: Db = prisma,
) {
  requirePermission(actor, "judge:run");
  await requireStudyAccess(actor, requireId(input.studyId, "study"), "manage", db); // owner, managing collaborators, admins
  const study = await db.study.findUnique({
    where: { id: requireId(input.studyId, "study") },
    select: { id: true, _count: { select: { pairs: { where: { kind: "REGULAR" } } } } },
  });
  if (!study) throw new NotFoundError("No such study");
  if (study._count.pairs === 0) throw new ValidationError("This study has no pairs yet; launch it first");
  const systemId = input.judgeSystemId ?? (await ensureJudgeSystem(db));
  if (!systemId)
    throw new ValidationError(
      "No judge is configured: set JUDGE_BASE_URL (and JUDGE_MODEL, JUDGE_API_KEY) and restart, or add a judge system",
    );
  const judge = await db.system.findUnique({ where: { id: systemId }, select: { role: true, kind: true } });
  if (!judge || judge.role !== "JUDGE" || judge.kind !== "LLM_API")
    throw new ValidationError("That system is not an LLM judge");
  const job = await insertJob(
    {
      type: JUDGE_JOB,
      payload: { studyId: study.id, systemId },
      progressTotal: study._count.pairs * 2,
      createdById: actor.id,
    },
    db,
  );
  return { jobId: job.id, total: study._count.pairs * 2 };
}
