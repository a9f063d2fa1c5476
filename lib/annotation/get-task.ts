import { z } from "zod";
import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { prisma, type DbOrTx } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { CriteriaSchema, type Criterion } from "./schemas";
import { progressOf } from "./progress";
import { findParticipation } from "./queries";
import { StudyRefInput, type Progress } from "./schemas";

export interface TaskOverview {
  studyId: string;
  studyName: string;
  status: "LIVE" | "PAUSED" | "CLOSED" | "DRAFT";
  isPaused: boolean;
  pausedReason: string | null;
  instructions: { id: string; version: number; markdown: string; criteria: Criterion[] };
  hasAcknowledged: boolean;
  progress: Progress;
}

/** What the rating page needs before the first item: the current instructions and whether this annotator acknowledged them. */
export async function getTaskOverview(
  actor: Actor | null,
  input: z.input<typeof StudyRefInput>,
  db: DbOrTx = prisma,
): Promise<TaskOverview> {
  requirePermission(actor, "annotation:work");
  const { studyId } = StudyRefInput.parse(input);
  const part = await findParticipation(studyId, actor.id, db);
  // Not taking part looks the same as not existing: an annotator learns nothing about other studies.
  if (!part || part.study.status === "DRAFT") throw new NotFoundError("No such study");
  const ins = await db.instructionsVersion.findFirst({
    where: { studyId },
    orderBy: { version: "desc" },
    select: {
      id: true,
      version: true,
      markdown: true,
      criteria: true,
      acknowledgements: { where: { userId: actor.id }, select: { userId: true } },
    },
  });
  if (!ins) throw new NotFoundError("No such study");
  return {
    studyId,
    studyName: part.study.name,
    status: part.study.status,
    isPaused: part.isPaused,
    pausedReason: part.pausedReason,
    instructions: {
      id: ins.id,
      version: ins.version,
      markdown: ins.markdown,
      criteria: CriteriaSchema.parse(ins.criteria),
    },
    hasAcknowledged: ins.acknowledgements.length > 0,
    progress: await progressOf(
      { studyId, userId: actor.id, k: part.study.annotatorsPerPair, cap: part.study.maxPairsPerAnnotator, fresh: true },
      db,
    ),
  };
}
