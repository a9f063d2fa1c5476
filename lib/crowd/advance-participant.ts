import { z } from "zod";
import { acknowledgeInstructions } from "@/lib/annotation";
import { prisma, type DbOrTx } from "@/lib/db";
import { ConflictError } from "@/lib/errors";
import { MAX_CHECK_TRIES, getParticipantView, latestInstructions, type ParticipantView } from "./get-participant-view";
import { actorOf, loadParticipant, moveStage } from "./queries";
import { CheckAnswersInput, ConsentInput } from "./schemas";

type Ref = { participantId: string; token: string };

/** The participant agrees to the consent text (on to the instructions) or declines (the session ends). */
export async function giveConsent(ref: Ref, input: z.input<typeof ConsentInput>, db: DbOrTx = prisma) {
  const { agree } = ConsentInput.parse(input);
  await loadParticipant(ref, db);
  await moveStage({ participantId: ref.participantId, from: ["CONSENT"], to: agree ? "INSTRUCTIONS" : "DECLINED" }, db);
  return getParticipantView(ref, db);
}

/** The participant has read the instructions: on to the comprehension check, or straight to the items without one. */
export async function finishInstructions(ref: Ref, db: DbOrTx = prisma): Promise<ParticipantView> {
  const p = await loadParticipant(ref, db);
  if (p.stage === "INSTRUCTIONS") {
    const version = await latestInstructions(p.study.id, db);
    if (!version) throw new ConflictError("This study has no instructions yet");
    await acknowledgeInstructions(actorOf(p), { studyId: p.study.id, instructionsVersionId: version.id }, db);
    await moveStage(
      { participantId: p.id, from: ["INSTRUCTIONS"], to: p.settings.comprehension.length ? "CHECK" : "ITEMS" },
      db,
    );
  }
  return getParticipantView(ref, db);
}

/**
 * Answers to the comprehension check. All right: on to the items. Wrong: one more try; wrong
 * twice: the participant is asked to return the study (not rejected), as Prolific's guidance
 * for comprehension checks has it. The count goes up in one statement, so two submissions at
 * once cannot both use the last try.
 */
export async function answerCheck(ref: Ref, input: z.input<typeof CheckAnswersInput>, db: DbOrTx = prisma) {
  const { answers } = CheckAnswersInput.parse(input);
  const p = await loadParticipant(ref, db);
  if (p.stage !== "CHECK") return { isCorrect: false, view: await getParticipantView(ref, db) };
  const qs = p.settings.comprehension;
  const isCorrect = answers.length === qs.length && qs.every((q, i) => answers[i] === q.answer);
  if (isCorrect) await moveStage({ participantId: p.id, from: ["CHECK"], to: "ITEMS" }, db);
  else
    await db.$executeRaw`
      UPDATE "CrowdParticipant" SET "checkFailures" = "checkFailures" + 1, "updatedAt" = now(),
        "stage" = CASE WHEN "checkFailures" + 1 >= ${MAX_CHECK_TRIES} THEN 'RETURNED'::"CrowdStage" ELSE 'CHECK'::"CrowdStage" END,
        "finishedAt" = CASE WHEN "checkFailures" + 1 >= ${MAX_CHECK_TRIES} THEN now() ELSE NULL END
      WHERE "id" = ${p.id}::uuid AND "stage" = 'CHECK'`;
  return { isCorrect, view: await getParticipantView(ref, db) };
}
