import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { prisma, type Db } from "@/lib/db";
import { ConflictError, ValidationError } from "@/lib/errors";
import { assertCheckShares } from "./check-shares";
import { DEFAULT_CRITERIA, DEFAULT_INSTRUCTIONS } from "./default-instructions";
import { countOutputs } from "./queries";
import { CreateStudyInput } from "./schemas";

/** Researchers create a DRAFT study: one eval set, one teacher, students, design, instructions v1. */
export async function createStudy(
  actor: Actor | null,
  input: CreateStudyInput,
  db: Db = prisma,
): Promise<{ id: string }> {
  requirePermission(actor, "studies:manage");
  const data = CreateStudyInput.parse(input);
  assertCheckShares(data);
  const evalSet = await db.evalSet.findUnique({ where: { id: data.evalSetId }, select: { id: true } });
  if (!evalSet) throw new ValidationError("That eval set does not exist", { evalSetId: "Choose an eval set" });

  const teacher = await db.system.findUnique({ where: { id: data.teacherSystemId }, select: { role: true } });
  if (teacher?.role !== "TEACHER")
    throw new ValidationError("Choose a teacher system", { teacherSystemId: "Not a teacher system" });
  if (
    !(await countOutputs(
      { systemId: data.teacherSystemId, evalSetId: data.evalSetId, settingsKey: data.teacherSettingsKey },
      db,
    ))
  )
    throw new ValidationError("The teacher has no outputs with those settings on this eval set", {
      teacherSettingsKey: "No outputs",
    });

  const studentIds = data.students.map((s) => s.systemId);
  if (new Set(studentIds).size !== studentIds.length)
    throw new ValidationError("Each student can be chosen once", { students: "Duplicate student" });
  const students = await db.system.findMany({ where: { id: { in: studentIds } }, select: { id: true, role: true } });
  if (students.length !== studentIds.length || students.some((s) => s.role !== "STUDENT"))
    throw new ValidationError("Every student must be a student system", { students: "Not a student system" });
  for (const s of data.students) {
    if (!(await countOutputs({ systemId: s.systemId, evalSetId: data.evalSetId, settingsKey: s.settingsKey }, db)))
      throw new ValidationError("A chosen student has no outputs with those settings on this eval set", {
        students: "No outputs",
      });
  }
  const annotators = await db.user.count({
    where: { id: { in: data.participantIds }, role: "ANNOTATOR", isActive: true },
  });
  if (annotators !== new Set(data.participantIds).size)
    throw new ValidationError("Participants must be active annotators", { participantIds: "Not an active annotator" });
  if (await db.study.findUnique({ where: { name: data.name }, select: { id: true } }))
    throw new ConflictError("A study with that name already exists");

  return db.study.create({
    data: {
      name: data.name,
      description: data.description,
      evalSetId: data.evalSetId,
      teacherSystemId: data.teacherSystemId,
      teacherSettingsKey: data.teacherSettingsKey,
      design: data.design,
      annotatorsPerPair: data.annotatorsPerPair,
      maxPairsPerAnnotator: data.maxPairsPerAnnotator,
      goldShare: data.goldShare,
      attentionShare: data.attentionShare,
      minGoldAccuracy: data.minGoldAccuracy,
      nonInferiorityMargin: data.nonInferiorityMargin,
      leaseMinutes: data.leaseMinutes,
      createdById: actor.id,
      students: { create: data.students.map((s) => ({ systemId: s.systemId, settingsKey: s.settingsKey })) },
      participants: { create: [...new Set(data.participantIds)].map((userId) => ({ userId })) },
      instructions: {
        create: {
          version: 1,
          markdown: data.instructionsMarkdown ?? DEFAULT_INSTRUCTIONS,
          criteria: data.criteria ?? DEFAULT_CRITERIA,
          createdById: actor.id,
        },
      },
    },
    select: { id: true },
  });
}
