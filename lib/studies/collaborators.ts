import { z } from "zod";
import type { Actor } from "@/lib/auth/permissions";
import { recordAudit } from "@/lib/audit";
import { prisma, type Db } from "@/lib/db";
import { ValidationError } from "@/lib/errors";
import { requireStudyAccess } from "./study-access";

export const CollaboratorInput = z.object({
  studyId: z.string(),
  email: z.string().trim().toLowerCase().pipe(z.email("Enter the researcher's email address")),
  access: z.enum(["READ", "MANAGE"], "Access is READ or MANAGE"),
});
export const RemoveCollaboratorInput = z.object({ studyId: z.string(), userId: z.string() });

/** The owner (or an admin) lets another researcher read or manage the study; re-adding changes the access. */
export async function addCollaborator(actor: Actor | null, input: z.input<typeof CollaboratorInput>, db: Db = prisma) {
  const data = CollaboratorInput.parse(input);
  const who = await requireStudyAccess(actor, data.studyId, "share", db);
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({
      where: { email: data.email },
      select: { id: true, role: true, isActive: true },
    });
    if (!user || !user.isActive || user.role !== "RESEARCHER")
      throw new ValidationError("Collaborators must be active researchers", { email: "Not an active researcher" });
    const before = await tx.studyCollaborator.findUnique({
      where: { studyId_userId: { studyId: data.studyId, userId: user.id } },
      select: { access: true },
    });
    await tx.studyCollaborator.upsert({
      where: { studyId_userId: { studyId: data.studyId, userId: user.id } },
      create: { studyId: data.studyId, userId: user.id, access: data.access },
      update: { access: data.access },
      select: { userId: true },
    });
    await recordAudit(
      {
        actor: who,
        action: "study.collaborator",
        entityType: "study",
        entityId: data.studyId,
        before: before ? { userId: user.id, access: before.access } : null,
        after: { userId: user.id, access: data.access },
      },
      tx,
    );
    return { studyId: data.studyId, userId: user.id, access: data.access };
  });
}

/** The owner (or an admin) takes a collaborator's access away. */
export async function removeCollaborator(
  actor: Actor | null,
  input: z.input<typeof RemoveCollaboratorInput>,
  db: Db = prisma,
) {
  const data = RemoveCollaboratorInput.parse(input);
  const who = await requireStudyAccess(actor, data.studyId, "share", db);
  return db.$transaction(async (tx) => {
    const removed = await tx.studyCollaborator.deleteMany({ where: { studyId: data.studyId, userId: data.userId } });
    if (removed.count)
      await recordAudit(
        {
          actor: who,
          action: "study.collaborator",
          entityType: "study",
          entityId: data.studyId,
          before: { userId: data.userId },
          after: null,
        },
        tx,
      );
    return { removed: removed.count };
  });
}

/** Who besides the owner has access (anyone who may read the study may see this). */
export async function listCollaborators(actor: Actor | null, studyId: string, db: Db = prisma) {
  await requireStudyAccess(actor, studyId, "read", db);
  const rows = await db.studyCollaborator.findMany({
    where: { studyId },
    select: { access: true, user: { select: { id: true, email: true, name: true } } },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((r) => ({ ...r.user, access: r.access }));
}

/**
 * Who the owner (or an admin) may add: active researchers who are neither the study's owner nor
 * already collaborators, by name. Collaborators must be active researchers (addCollaborator).
 */
export async function listCollaboratorChoices(actor: Actor | null, studyId: string, db: Db = prisma) {
  await requireStudyAccess(actor, studyId, "share", db);
  const study = await db.study.findUniqueOrThrow({ where: { id: studyId }, select: { createdById: true } });
  return db.user.findMany({
    where: {
      role: "RESEARCHER",
      isActive: true,
      ...(study.createdById ? { id: { not: study.createdById } } : {}),
      collaborations: { none: { studyId } },
    },
    select: { id: true, email: true, name: true },
    orderBy: [{ name: "asc" }, { email: "asc" }],
  });
}

/** The study's owner (null for studies from before ownership: admins only) and its collaborators. */
export async function getStudyPeople(actor: Actor | null, studyId: string, db: Db = prisma) {
  const collaborators = await listCollaborators(actor, studyId, db);
  const study = await db.study.findUniqueOrThrow({
    where: { id: studyId },
    select: { createdBy: { select: { id: true, email: true, name: true } } },
  });
  return { owner: study.createdBy, collaborators };
}
