import { requirePermission, studyCan, type Actor, type StudyAction, type StudyRelation } from "@/lib/auth/permissions";
import { prisma, type DbOrTx } from "@/lib/db";
import { ForbiddenError, NotFoundError } from "@/lib/errors";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The actor's relation to a study, or undefined when there is no such study. */
export async function studyRelation(
  actor: Actor,
  studyId: string,
  db: DbOrTx = prisma,
): Promise<StudyRelation | undefined> {
  if (!UUID.test(studyId)) return undefined;
  const study = await db.study.findUnique({
    where: { id: studyId },
    select: { createdById: true, collaborators: { where: { userId: actor.id }, select: { access: true } } },
  });
  if (!study) return undefined;
  return study.createdById === actor.id ? "owner" : (study.collaborators[0]?.access ?? null);
}

/**
 * Checks the study access table (lib/auth/permissions.ts) for one study. Someone with no
 * relation to a study learns nothing about it (404, as for a study that does not exist); a
 * collaborator who may read but not change it is told so (403).
 */
export async function requireStudyAccess(
  actor: Actor | null,
  studyId: string,
  action: StudyAction,
  db: DbOrTx = prisma,
): Promise<Actor> {
  requirePermission(actor, "studies:manage");
  const relation = await studyRelation(actor, studyId, db);
  if (relation === undefined) throw new NotFoundError("No such study");
  if (studyCan(actor, relation, action)) return actor;
  if (studyCan(actor, relation, "read"))
    throw new ForbiddenError(
      action === "manage"
        ? "You can read this study but not change it; ask its owner for manage access"
        : "Only the study's owner (or an admin) can do this",
    );
  throw new NotFoundError("No such study");
}

/** Which studies a researcher may see: theirs and those shared with them (admins: all). */
export function visibleStudiesWhere(actor: Actor) {
  if (actor.role === "ADMIN") return {};
  return { OR: [{ createdById: actor.id }, { collaborators: { some: { userId: actor.id } } }] };
}

/** What the actor may do with one study (for showing or hiding controls; every use case checks again). */
export async function studyPermissions(
  actor: Actor,
  studyId: string,
  db: DbOrTx = prisma,
): Promise<Record<StudyAction, boolean>> {
  const relation = await studyRelation(actor, studyId, db);
  const may = (action: StudyAction) => relation !== undefined && studyCan(actor, relation, action);
  return { read: may("read"), manage: may("manage"), share: may("share"), audit: may("audit") };
}
