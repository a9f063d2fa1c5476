import { z } from "zod";
import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { requireStudyAccess } from "./study-access";
import { inTransaction, recordAudit } from "@/lib/audit";
import { prisma, type Db, type DbOrTx } from "@/lib/db";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { assertCheckShares } from "./check-shares";
import { CriteriaSchema } from "@/lib/annotation/schemas";
import { EditInstructionsInput, SetParticipantsInput, UpdateStudySettingsInput } from "./schemas";

/** Settings that pairs are built from or ratings depend on, and the margin (moving it after seeing data would tune the claim): fixed once the study has launched. */
export const LOCKED_WHEN_LIVE = [
  "design",
  "annotatorsPerPair",
  "goldShare",
  "attentionShare",
  "nonInferiorityMargin",
] as const;

/** Researchers change a study's name and design settings; launched studies refuse locked ones. */
export async function updateStudySettings(actor: Actor | null, input: UpdateStudySettingsInput, db: DbOrTx = prisma) {
  requirePermission(actor, "studies:manage");
  const { studyId, ...data } = UpdateStudySettingsInput.parse(input);
  await requireStudyAccess(actor, studyId, "manage", db);
  const study = await db.study.findUnique({
    where: { id: studyId },
    select: {
      status: true,
      design: true,
      goldShare: true,
      attentionShare: true,
      annotatorsPerPair: true,
      nonInferiorityMargin: true,
    },
  });
  if (!study) throw new NotFoundError("No such study");
  if (study.status === "CLOSED") throw new ConflictError("This study is closed; its settings can no longer change");
  if (study.status !== "DRAFT") {
    const changed = LOCKED_WHEN_LIVE.filter((k) => data[k] !== undefined && data[k] !== study[k]);
    if (changed.length)
      throw new ValidationError(
        `${changed.join(", ")} cannot change once the study is live: its pairs were built and rated under the current values. Create a new study instead.`,
        Object.fromEntries(changed.map((k) => [k, "Locked while the study is live"])),
      );
  }
  assertCheckShares({
    design: data.design ?? study.design,
    goldShare: data.goldShare ?? study.goldShare,
    attentionShare: data.attentionShare ?? study.attentionShare,
  });
  if (data.name) {
    const other = await db.study.findFirst({ where: { name: data.name, id: { not: studyId } }, select: { id: true } });
    if (other) throw new ConflictError("A study with that name already exists");
  }
  // Written only if the status is still the one checked above: a launch in between would
  // otherwise let a locked setting change on a study that is now live
  const written = await inTransaction(db, async (tx) => {
    // The margin and k enter the statistics: stored results computed before are out of date.
    const result = await tx.study.updateMany({
      where: { id: studyId, status: study.status },
      data: { ...data, resultsChangedAt: new Date() },
    });
    if (result.count)
      await recordAudit(
        {
          actor,
          action: "study.settings",
          entityType: "study",
          entityId: studyId,
          before: Object.fromEntries(Object.keys(data).map((k) => [k, (study as Record<string, unknown>)[k]])),
          after: data,
        },
        tx,
      );
    return result;
  });
  if (written.count === 0)
    throw new ConflictError("The study changed status while you were editing it; reload and try again");
  return { id: studyId, status: study.status };
}

/** Researchers edit instructions and criteria; each edit is a new version. Criterion keys are fixed once live. */
export async function editInstructions(actor: Actor | null, input: EditInstructionsInput, db: DbOrTx = prisma) {
  requirePermission(actor, "studies:manage");
  const data = EditInstructionsInput.parse(input);
  await requireStudyAccess(actor, data.studyId, "manage", db);
  const study = await db.study.findUnique({ where: { id: data.studyId }, select: { status: true } });
  if (!study) throw new NotFoundError("No such study");
  if (study.status === "CLOSED") throw new ConflictError("This study is closed; its instructions can no longer change");
  const latest = await db.instructionsVersion.findFirst({
    where: { studyId: data.studyId },
    orderBy: { version: "desc" },
    select: { version: true, criteria: true },
  });
  if (study.status !== "DRAFT" && latest) {
    const before = CriteriaSchema.parse(latest.criteria)
      .map((c) => c.key)
      .join(",");
    const after = data.criteria.map((c) => c.key).join(",");
    if (before !== after)
      throw new ValidationError(
        "Criteria cannot be added, removed or renamed once the study is live: earlier ratings would not match. Edit labels, descriptions and scale definitions instead.",
        { criteria: "Keys are locked while live" },
      );
  }
  // The unique (studyId, version) makes two simultaneous edits fail (409) rather than share a number.
  return inTransaction(db, async (tx) => {
    const created = await tx.instructionsVersion.create({
      data: {
        studyId: data.studyId,
        version: (latest?.version ?? 0) + 1,
        markdown: data.markdown,
        criteria: data.criteria,
        createdById: actor.id,
      },
      select: { id: true, version: true },
    });
    await recordAudit(
      {
        actor,
        action: "study.instructions",
        entityType: "study",
        entityId: data.studyId,
        before: latest ? { version: latest.version } : null,
        after: { version: created.version },
      },
      tx,
    );
    return created;
  });
}

/** Researchers choose who annotates; someone who already has assignments can be paused, not removed. */
export async function setParticipants(
  actor: Actor | null,
  input: z.input<typeof SetParticipantsInput>,
  db: Db = prisma,
) {
  requirePermission(actor, "studies:manage");
  const data = SetParticipantsInput.parse(input);
  await requireStudyAccess(actor, data.studyId, "manage", db);
  return db.$transaction(async (tx) => {
    const study = await tx.study.findUnique({
      where: { id: data.studyId },
      select: { status: true, participants: { select: { userId: true } } },
    });
    if (!study) throw new NotFoundError("No such study");
    if (study.status === "CLOSED") throw new ConflictError("This study is closed");
    const wanted = new Set(data.userIds);
    const ok = await tx.user.count({ where: { id: { in: [...wanted] }, role: "ANNOTATOR", isActive: true } });
    if (ok !== wanted.size)
      throw new ValidationError("Participants must be active annotators", { userIds: "Not an active annotator" });
    const current = new Set(study.participants.map((p) => p.userId));
    const removed = [...current].filter((id) => !wanted.has(id));
    if (removed.length) {
      // A claim locks its participant row first (claim-sql.ts): holding these rows, no removed
      // annotator can take a pair between the check below and the delete
      await tx.$queryRaw`SELECT 1 FROM "StudyParticipant" WHERE "studyId" = ${data.studyId}::uuid AND "userId" = ANY(${removed}::uuid[]) FOR UPDATE`;
      if (await tx.assignment.count({ where: { annotatorId: { in: removed }, pair: { studyId: data.studyId } } }))
        throw new ConflictError("Someone you removed has already worked on this study; pause them instead");
      await tx.studyParticipant.deleteMany({ where: { studyId: data.studyId, userId: { in: removed } } });
    }
    await tx.studyParticipant.createMany({
      data: [...wanted].filter((id) => !current.has(id)).map((userId) => ({ studyId: data.studyId, userId })),
      skipDuplicates: true,
    });
    await recordAudit(
      {
        actor,
        action: "study.participants",
        entityType: "study",
        entityId: data.studyId,
        before: { userIds: [...current].sort() },
        after: { userIds: [...wanted].sort() },
      },
      tx,
    );
    return { participants: wanted.size };
  });
}
