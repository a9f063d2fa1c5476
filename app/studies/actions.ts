"use server";
import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/session";
import { runAction } from "@/lib/http/error-mapper";
import { createStudy, editInstructions, launchStudy, setParticipantPaused, setParticipants, setStudyStatus, updateStudySettings } from "@/lib/studies";
import { CreateStudyInput, EditInstructionsInput, PauseParticipantInput, SetParticipantsInput, StudyIdInput, StudyStatusInput, UpdateStudySettingsInput } from "@/lib/studies/schemas";

// Each action checks the permission table, parses its input, calls one use case and tells the
// page to refresh; errors reach the form through the one mapper in runAction.

export async function createStudyAction(input: unknown) {
  return runAction(async () => {
    const study = await createStudy(await requireActor("studies:manage"), CreateStudyInput.parse(input));
    revalidatePath("/studies");
    return study;
  });
}

export async function updateStudySettingsAction(input: unknown) {
  return runAction(async () => {
    const data = UpdateStudySettingsInput.parse(input);
    const out = await updateStudySettings(await requireActor("studies:manage"), data);
    revalidatePath(`/studies/${data.studyId}`);
    return out;
  });
}

export async function editInstructionsAction(input: unknown) {
  return runAction(async () => {
    const data = EditInstructionsInput.parse(input);
    const out = await editInstructions(await requireActor("studies:manage"), data);
    revalidatePath(`/studies/${data.studyId}`);
    return out;
  });
}

export async function setParticipantsAction(input: unknown) {
  return runAction(async () => {
    const data = SetParticipantsInput.parse(input);
    const out = await setParticipants(await requireActor("studies:manage"), data);
    revalidatePath(`/studies/${data.studyId}`);
    return out;
  });
}

export async function launchStudyAction(input: unknown) {
  return runAction(async () => {
    const data = StudyIdInput.parse(input);
    const out = await launchStudy(await requireActor("studies:manage"), data);
    revalidatePath(`/studies/${data.studyId}`);
    return out;
  });
}

export async function setStudyStatusAction(input: unknown) {
  return runAction(async () => {
    const data = StudyStatusInput.parse(input);
    const out = await setStudyStatus(await requireActor("studies:manage"), data);
    revalidatePath(`/studies/${data.studyId}`);
    return out;
  });
}

export async function setParticipantPausedAction(input: unknown) {
  return runAction(async () => {
    const data = PauseParticipantInput.parse(input);
    const out = await setParticipantPaused(await requireActor("studies:manage"), data);
    revalidatePath(`/studies/${data.studyId}`);
    return out;
  });
}
