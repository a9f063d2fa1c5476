"use server";
import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/session";
import { runAction } from "@/lib/http/error-mapper";
import { addCollaborator, CollaboratorInput, RemoveCollaboratorInput, removeCollaborator } from "@/lib/studies";

// Sharing a study: the use cases check that the actor may "share" it (its owner or an admin);
// a collaborator, even with MANAGE, gets 403, someone with no relation 404 (as for a missing study).

export async function addCollaboratorAction(input: unknown) {
  return runAction(async () => {
    const actor = await requireActor("studies:manage");
    const data = CollaboratorInput.parse(input);
    const out = await addCollaborator(actor, data);
    revalidatePath(`/studies/${data.studyId}`);
    return out;
  });
}

export async function removeCollaboratorAction(input: unknown) {
  return runAction(async () => {
    const actor = await requireActor("studies:manage");
    const data = RemoveCollaboratorInput.parse(input);
    const out = await removeCollaborator(actor, data);
    revalidatePath(`/studies/${data.studyId}`);
    return out;
  });
}
