import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Actor } from "@/lib/auth/permissions";
import { requireStudyAccess } from "@/lib/studies";
import { prisma, type DbOrTx } from "@/lib/db";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { CrowdSettings } from "./schemas";

export const UpdateCrowdInput = z.object({
  studyId: z.uuid(),
  isEnabled: z.boolean(),
  settings: CrowdSettings.optional(),
});

/**
 * A researcher turns external participants on (with the consent text, comprehension check and
 * codes) or off. The link's token is made once and kept, so a link already posted keeps working
 * when the settings change; turning the feature off stops new arrivals and resumes alike.
 */
export async function updateCrowdSettings(
  actor: Actor | null,
  input: z.input<typeof UpdateCrowdInput>,
  db: DbOrTx = prisma,
) {
  const data = UpdateCrowdInput.parse(input);
  await requireStudyAccess(actor, data.studyId, "manage", db); // its owner, managing collaborators, admins
  const study = await db.study.findUnique({ where: { id: data.studyId }, select: { crowdToken: true } });
  if (!study) throw new NotFoundError("No such study");
  if (data.isEnabled && !data.settings) throw new ValidationError("Give the consent text, check and codes");
  await db.study.update({
    where: { id: data.studyId },
    data:
      data.isEnabled && data.settings
        ? { crowdSettings: data.settings, crowdToken: study.crowdToken ?? randomBytes(18).toString("base64url") }
        : { crowdSettings: Prisma.DbNull },
    select: { id: true },
  });
  return getCrowdOverview(actor, { studyId: data.studyId }, db);
}

/** The public link's query string for each platform, with the platform's own placeholders. */
export function studyLinks(baseUrl: string, token: string) {
  const start = `${baseUrl.replace(/\/$/, "")}/p/${token}/start`;
  return {
    prolific: `${start}?PROLIFIC_PID={{%PROLIFIC_PID%}}&STUDY_ID={{%STUDY_ID%}}&SESSION_ID={{%SESSION_ID%}}`,
    mturk: `${start}?workerId=\${workerId}&assignmentId=\${assignmentId}&hitId=\${hitId}`,
  };
}

/** A study's external-participant settings, its public link and how its participants stand. */
export async function getCrowdOverview(actor: Actor | null, input: { studyId: string }, db: DbOrTx = prisma) {
  const studyId = z.uuid().parse(input.studyId);
  await requireStudyAccess(actor, studyId, "read", db);
  const study = await db.study.findUnique({
    where: { id: studyId },
    select: { id: true, name: true, crowdToken: true, crowdSettings: true },
  });
  if (!study) throw new NotFoundError("No such study");
  const stages = await db.crowdParticipant.groupBy({ by: ["stage"], where: { studyId }, _count: true });
  const settings = study.crowdSettings ? CrowdSettings.parse(study.crowdSettings) : null;
  return {
    studyId: study.id,
    name: study.name,
    isEnabled: settings !== null,
    token: settings ? study.crowdToken : null,
    settings,
    stages: Object.fromEntries(stages.map((s) => [s.stage, s._count])) as Record<string, number>,
  };
}
