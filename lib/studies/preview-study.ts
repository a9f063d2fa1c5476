import { z } from "zod";
import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { requireStudyAccess } from "./study-access";
import { prisma, type DbOrTx } from "@/lib/db";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { firstItemWithBoth, latestInstructions } from "./queries";
import { CriteriaSchema, type Criterion } from "@/lib/annotation/schemas";
import { StudyIdInput } from "./schemas";

export interface StudyPreview {
  studyName: string;
  instructions: { version: number; markdown: string; criteria: Criterion[] };
  sample: { source: string; left: string; right: string } | null;
}

/** Exactly what an annotator will see (instructions, then an item), from the study's first item. */
export async function previewStudy(
  actor: Actor | null,
  input: z.input<typeof StudyIdInput>,
  db: DbOrTx = prisma,
): Promise<StudyPreview> {
  requirePermission(actor, "studies:manage");
  const { studyId } = StudyIdInput.parse(input);
  await requireStudyAccess(actor, studyId, "read", db);
  const study = await db.study.findUnique({
    where: { id: studyId },
    select: {
      name: true,
      evalSetId: true,
      teacherSystemId: true,
      teacherSettingsKey: true,
      students: { select: { systemId: true, settingsKey: true }, take: 1 },
    },
  });
  if (!study) throw new NotFoundError("No such study");
  const ins = await latestInstructions(studyId, db);
  if (!ins) throw new ValidationError("This study has no instructions yet");
  let sample: StudyPreview["sample"] = null;
  const student = study.students[0];
  if (student && study.teacherSettingsKey) {
    // One item's texts, not every output of both systems on the eval set.
    const item = await firstItemWithBoth(
      {
        evalSetId: study.evalSetId,
        teacher: { systemId: study.teacherSystemId, settingsKey: study.teacherSettingsKey },
        student,
      },
      db,
    );
    if (item) sample = { source: item.source, left: item.teacher, right: item.student };
  }
  return {
    studyName: study.name,
    instructions: { version: ins.version, markdown: ins.markdown, criteria: CriteriaSchema.parse(ins.criteria) },
    sample,
  };
}
