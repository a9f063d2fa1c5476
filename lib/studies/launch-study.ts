import { z } from "zod";
import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { requireStudyAccess } from "./study-access";
import { recordAudit } from "@/lib/audit";
import { prisma, type Db } from "@/lib/db";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { planPairs, type PlannedPair } from "./build-pairs";
import { checkFeasibility } from "./feasibility";
import { checkRankingFeasibility } from "./ranking-feasibility";
import { firstOutputsByItem, latestInstructions } from "./queries";
import { CriteriaSchema } from "@/lib/annotation/schemas";
import { StudyIdInput, StudyStatusInput } from "./schemas";

/**
 * Researchers launch a DRAFT study: its pairs (regular, gold, attention) are built from the
 * stored outputs and it goes LIVE, all in one transaction, so a study is never live half-built.
 */
export async function launchStudy(actor: Actor | null, input: z.input<typeof StudyIdInput>, db: Db = prisma) {
  requirePermission(actor, "studies:manage");
  const { studyId } = StudyIdInput.parse(input);
  await requireStudyAccess(actor, studyId, "manage", db);
  const launched = await db.$transaction(
    async (tx) => {
      // The conditional update takes the study's row lock: a second launch waits, then finds it LIVE.
      const flipped = await tx.study.updateMany({
        where: { id: studyId, status: "DRAFT" },
        data: { status: "LIVE", launchedAt: new Date() },
      });
      const study = await tx.study.findUnique({
        where: { id: studyId },
        select: {
          evalSetId: true,
          teacherSystemId: true,
          teacherSettingsKey: true,
          design: true,
          annotatorsPerPair: true,
          maxPairsPerAnnotator: true,
          goldShare: true,
          attentionShare: true,
          students: { select: { systemId: true, settingsKey: true } },
          crowdToken: true,
          crowdSettings: true,
          _count: { select: { participants: true } },
        },
      });
      if (!study) throw new NotFoundError("No such study");
      if (flipped.count === 0)
        throw new ConflictError("Only a draft study can be launched; this one has launched already");
      if (!study.teacherSettingsKey) throw new ValidationError("Choose which teacher outputs the study compares");
      // External participants arrive through the public link after launch.
      const takesCrowd = study.crowdToken !== null && study.crowdSettings !== null;
      const isRanking = study.design === "RANKING";
      // The public-link flow (lib/crowd) shows one pair at a time; ranking screens are for app accounts.
      if (isRanking && takesCrowd)
        throw new ValidationError(
          "A ranking study cannot take external participants yet: turn off the public study link, or make it a pairwise study",
        );
      const instructions = await latestInstructions(studyId, tx);
      const criteria = CriteriaSchema.parse(instructions?.criteria ?? []);
      const items = await tx.evalItem.findMany({
        where: { evalSetId: study.evalSetId },
        select: { id: true, source: true },
        orderBy: { position: "asc" },
      });
      const teacherOutputs = await firstOutputsByItem(
        { systemId: study.teacherSystemId, evalSetId: study.evalSetId, settingsKey: study.teacherSettingsKey },
        tx,
      );
      const students = [];
      for (const s of study.students)
        students.push({
          systemId: s.systemId,
          outputs: await firstOutputsByItem({ ...s, evalSetId: study.evalSetId }, tx),
        });
      const { pairs, skippedItems } = planPairs({
        items,
        teacherOutputs,
        students,
        criteriaKeys: criteria.map((c) => c.key),
        goldShare: study.goldShare,
        attentionShare: study.attentionShare,
      });
      if (!pairs.length)
        throw new ValidationError("No item has both a teacher and a student output, so there is nothing to rate");
      const feasibility = (isRanking ? checkRankingFeasibility : checkFeasibility)({
        annotators: study._count.participants,
        takesCrowd,
        cap: study.maxPairsPerAnnotator,
        k: study.annotatorsPerPair,
        students: study.students.length,
        items: pairsPerItem(pairs),
      });
      if (!feasibility.isFeasible) throw new ValidationError(feasibility.message!);
      await tx.pair.createMany({
        data: pairs.map((p) => ({ ...p, studyId, expected: p.expected ?? undefined })),
      });
      await recordAudit(
        {
          actor,
          action: "study.launch",
          entityType: "study",
          entityId: studyId,
          before: { status: "DRAFT" },
          after: { status: "LIVE", pairs: pairs.length },
        },
        tx,
      );
      return {
        pairs: pairs.length,
        gold: pairs.filter((p) => p.kind === "GOLD").length,
        attention: pairs.filter((p) => p.kind === "ATTENTION").length,
        skippedItems,
        minimumAnnotators: feasibility.minimumAnnotators,
        /** With external participants: how many must arrive to complete the design. */
        note: feasibility.message,
      };
    },
    { timeout: 60_000 },
  );
  // A launch adds all of a study's pairs at once. Until the planner's statistics know them it may
  // estimate "a few pairs" for this study and read every one of them per claim instead of walking
  // the (studyId, takenCount, shuffleKey) index to the first open pair (lib/annotation/claim-sql.ts).
  // ANALYZE samples a bounded number of rows, so this costs about the same for any table size.
  // Best effort: a role that does not own the table only gets a warning, and a launch never fails on it.
  await db.$executeRaw`ANALYZE "Pair"`.catch(() => undefined);
  return launched;
}

function pairsPerItem(pairs: PlannedPair[]) {
  const byItem = new Map<string, { regular: number; checks: number }>();
  for (const p of pairs) {
    const c = byItem.get(p.itemId) ?? { regular: 0, checks: 0 };
    if (p.kind === "REGULAR") c.regular++;
    else c.checks++;
    byItem.set(p.itemId, c);
  }
  return [...byItem.values()];
}

const MOVES: Record<string, string[]> = { LIVE: ["PAUSED"], PAUSED: ["LIVE"], CLOSED: ["LIVE", "PAUSED"] };

/** Researchers pause, resume or close a launched study (DRAFT -> LIVE is launchStudy). */
export async function setStudyStatus(actor: Actor | null, input: z.input<typeof StudyStatusInput>, db: Db = prisma) {
  requirePermission(actor, "studies:manage");
  const data = StudyStatusInput.parse(input);
  await requireStudyAccess(actor, data.studyId, "manage", db);
  const from = MOVES[data.status];
  const moved = await db.$transaction(async (tx) => {
    const before = await tx.study.findUnique({ where: { id: data.studyId }, select: { status: true } });
    const result = await tx.study.updateMany({
      where: { id: data.studyId, status: { in: from as ("LIVE" | "PAUSED")[] } },
      data: { status: data.status, ...(data.status === "CLOSED" ? { closedAt: new Date() } : {}) },
    });
    if (result.count)
      await recordAudit(
        {
          actor,
          action: { LIVE: "study.resume", PAUSED: "study.pause", CLOSED: "study.close" }[data.status],
          entityType: "study",
          entityId: data.studyId,
          before: { status: before?.status },
          after: { status: data.status },
        },
        tx,
      );
    return result;
  });
  if (moved.count === 0) {
    const study = await db.study.findUnique({ where: { id: data.studyId }, select: { status: true } });
    if (!study) throw new NotFoundError("No such study");
    throw new ConflictError(`A ${study.status.toLowerCase()} study cannot become ${data.status.toLowerCase()}`);
  }
  return { studyId: data.studyId, status: data.status };
}
