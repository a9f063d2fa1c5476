import { z } from "zod";
import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { prisma, type DbOrTx } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { findParticipation } from "./queries";
import { AcknowledgeInput } from "./schemas";

/** An annotator confirms they read one version of a study's instructions (once per version). */
export async function acknowledgeInstructions(
  actor: Actor | null,
  input: z.input<typeof AcknowledgeInput>,
  db: DbOrTx = prisma,
) {
  requirePermission(actor, "annotation:work");
  const data = AcknowledgeInput.parse(input);
  const part = await findParticipation(data.studyId, actor.id, db);
  const version = await db.instructionsVersion.findFirst({
    where: { id: data.instructionsVersionId, studyId: data.studyId },
    select: { id: true },
  });
  if (!part || !version) throw new NotFoundError("No such instructions");
  await db.instructionsAcknowledgement.upsert({
    where: { userId_instructionsVersionId: { userId: actor.id, instructionsVersionId: version.id } },
    create: { userId: actor.id, instructionsVersionId: version.id },
    update: {},
    select: { userId: true },
  });
  return { acknowledged: true };
}
