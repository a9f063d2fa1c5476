"use server";
import { revalidatePath } from "next/cache";
import type { z } from "zod";
import type { Actor } from "@/lib/auth/permissions";
import { requireActor } from "@/lib/auth/session";
import { runAction } from "@/lib/http/error-mapper";
import {
  createStudy,
  editInstructions,
  launchStudy,
  setParticipantPaused,
  setParticipants,
  setStudyStatus,
  updateStudySettings,
} from "@/lib/studies";
import {
  CreateStudyInput,
  EditInstructionsInput,
  PauseParticipantInput,
  SetParticipantsInput,
  StudyIdInput,
  StudyStatusInput,
  UpdateStudySettingsInput,
} from "@/lib/studies/schemas";

// Each action checks the permission table before it reads its input (so a caller without access
// learns nothing about the input's shape), parses it, calls one use case and tells the page to
// refresh; errors reach the form through the one mapper in runAction.

/** An action on one study: access, parse, the use case, then a refresh of that study's page. */
function studyAction<S extends z.ZodType<{ studyId: string }>, R>(
  schema: S,
  useCase: (actor: Actor, data: z.output<S>) => Promise<R>,
) {
  return async (input: unknown) =>
    runAction(async () => {
      const actor = await requireActor("studies:manage");
      const data = schema.parse(input);
      const out = await useCase(actor, data);
      revalidatePath(`/studies/${data.studyId}`);
      return out;
    });
}

export async function createStudyAction(input: unknown) {
  return runAction(async () => {
    const actor = await requireActor("studies:manage");
    const study = await createStudy(actor, CreateStudyInput.parse(input));
    revalidatePath("/studies");
    return study;
  });
}

export const updateStudySettingsAction = studyAction(UpdateStudySettingsInput, updateStudySettings);
export const editInstructionsAction = studyAction(EditInstructionsInput, editInstructions);
export const setParticipantsAction = studyAction(SetParticipantsInput, setParticipants);
export const launchStudyAction = studyAction(StudyIdInput, launchStudy);
export const setStudyStatusAction = studyAction(StudyStatusInput, setStudyStatus);
export const setParticipantPausedAction = studyAction(PauseParticipantInput, setParticipantPaused);
