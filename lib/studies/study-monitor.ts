import { z } from "zod";
import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { requireStudyAccess } from "./study-access";
import { prisma, type DbOrTx } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { inTransaction, recordAudit } from "@/lib/audit";
import { queueResultsRefresh } from "@/lib/jobs";
import { knownAnswerScores, NO_KNOWN_ANSWERS } from "@/lib/annotation";
import { PauseParticipantInput, StudyIdInput } from "./schemas";

export interface AnnotatorQuality {
  userId: string;
  pseudonym: string;
  name: string;
  done: number;
  active: number;
  skipped: number;
  flagged: number;
  medianActiveMs: number | null;
  goldAnswered: number;
  goldCorrect: number;
  goldAccuracy: number | null;
  attentionAnswered: number;
  attentionCorrect: number;
  isPaused: boolean;
  pausedReason: string | null;
}

export interface StudyMonitor {
  pairs: number;
  completePairs: number;
  /** Ratings by people; the demo's simulated ratings are counted apart and never complete a pair. */
  ratings: number;
  simulatedRatings: number;
  annotators: AnnotatorQuality[];
  flags: { pseudonym: string; source: string; reason: string; at: Date | null }[];
}

function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Per-annotator progress and quality for researchers: items done, median time, gold accuracy, flags. */
export async function getStudyMonitor(
  actor: Actor | null,
  input: z.input<typeof StudyIdInput>,
  db: DbOrTx = prisma,
): Promise<StudyMonitor> {
  requirePermission(actor, "studies:manage");
  const { studyId } = StudyIdInput.parse(input);
  await requireStudyAccess(actor, studyId, "read", db);
  const study = await db.study.findUnique({
    where: { id: studyId },
    select: {
      annotatorsPerPair: true,
      participants: {
        select: { userId: true, isPaused: true, pausedReason: true, user: { select: { name: true, pseudonym: true } } },
      },
    },
  });
  if (!study) throw new NotFoundError("No such study");
  // One query per kind of fact for the whole study, not one per participant.
  const [assignments, ratings, submittedPerPair, pairs, flagRows, known] = await Promise.all([
    db.assignment.groupBy({ by: ["annotatorId", "status"], where: { pair: { studyId } }, _count: true }),
    db.rating.findMany({ where: { studyId }, select: { annotatorId: true, activeMs: true, isSimulated: true } }),
    db.assignment.groupBy({
      by: ["pairId"],
      where: { pair: { studyId }, status: "SUBMITTED", rating: { isSimulated: false } },
      _count: true,
    }),
    db.pair.count({ where: { studyId } }),
    db.assignment.findMany({
      where: { pair: { studyId }, status: "FLAGGED" },
      select: {
        reason: true,
        finishedAt: true,
        annotator: { select: { pseudonym: true } },
        pair: { select: { item: { select: { source: true } } } },
      },
      orderBy: { finishedAt: "desc" },
    }),
    knownAnswerScores(studyId, undefined, db),
  ]);
  const annotators: AnnotatorQuality[] = [];
  for (const p of study.participants) {
    const n = (status: string) =>
      assignments.find((a) => a.annotatorId === p.userId && a.status === status)?._count ?? 0;
    const q = known.get(p.userId) ?? NO_KNOWN_ANSWERS;
    annotators.push({
      userId: p.userId,
      pseudonym: p.user.pseudonym,
      name: p.user.name,
      done: n("SUBMITTED"),
      active: n("ACTIVE"),
      skipped: n("SKIPPED"),
      flagged: n("FLAGGED"),
      medianActiveMs: median(ratings.filter((r) => r.annotatorId === p.userId).map((r) => r.activeMs)),
      ...q,
      goldAccuracy: q.goldAnswered ? q.goldCorrect / q.goldAnswered : null,
      isPaused: p.isPaused,
      pausedReason: p.pausedReason,
    });
  }
  return {
    pairs,
    completePairs: submittedPerPair.filter((s) => s._count >= study.annotatorsPerPair).length,
    ratings: ratings.filter((r) => !r.isSimulated).length,
    simulatedRatings: ratings.filter((r) => r.isSimulated).length,
    annotators,
    flags: flagRows.map((f) => ({
      pseudonym: f.annotator.pseudonym,
      source: f.pair.item.source,
      reason: f.reason ?? "",
      at: f.finishedAt,
    })),
  };
}

/**
 * Researchers pause or resume one annotator in one study. A paused annotator's ratings are left
 * out of the statistics (the results page's "Exclude" does this), so the change is audited and the
 * stored results are marked out of date and recomputed.
 */
export async function setParticipantPaused(
  actor: Actor | null,
  input: z.input<typeof PauseParticipantInput>,
  db: DbOrTx = prisma,
) {
  requirePermission(actor, "studies:manage");
  const data = PauseParticipantInput.parse(input);
  await requireStudyAccess(actor, data.studyId, "manage", db);
  const reason = data.isPaused ? data.reason || "Paused by a researcher" : null;
  await inTransaction(db, async (tx) => {
    const before = await tx.studyParticipant.findUnique({
      where: { studyId_userId: { studyId: data.studyId, userId: data.userId } },
      select: { isPaused: true, pausedReason: true },
    });
    if (!before) throw new NotFoundError("That annotator does not take part in this study");
    await tx.studyParticipant.update({
      where: { studyId_userId: { studyId: data.studyId, userId: data.userId } },
      data: data.isPaused
        ? { isPaused: true, pausedReason: reason, pausedAt: new Date() }
        : { isPaused: false, pausedReason: null, pausedAt: null },
      select: { userId: true },
    });
    await tx.study.update({
      where: { id: data.studyId },
      data: { resultsChangedAt: new Date() },
      select: { id: true },
    });
    await recordAudit(
      {
        actor,
        action: "study.annotator",
        entityType: "study",
        entityId: data.studyId,
        before: { annotator: data.userId, isPaused: before.isPaused, reason: before.pausedReason },
        after: { annotator: data.userId, isPaused: data.isPaused, reason },
      },
      tx,
    );
  });
  await queueResultsRefresh(data.studyId, db);
  return { userId: data.userId, isPaused: data.isPaused };
}
