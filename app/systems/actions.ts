"use server";
import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/session";
import { runAction } from "@/lib/http/error-mapper";
import { createTeacherSystem, rescanModels, updateTeacherSystem, UpdateTeacherSystemInput } from "@/lib/systems";
import { CreateTeacherSystemInput } from "@/lib/systems/schemas";

export async function createTeacherSystemAction(input: unknown) {
  return runAction(async () => {
    const actor = await requireActor("systems:manage");
    const system = await createTeacherSystem(actor, CreateTeacherSystemInput.parse(input));
    revalidatePath("/systems");
    return { id: system.id, name: system.name };
  });
}

export async function rescanModelsAction() {
  return runAction(async () => {
    const result = await rescanModels(await requireActor("systems:manage"));
    revalidatePath("/systems");
    return result;
  });
}

export async function updateTeacherSystemAction(input: unknown) {
  return runAction(async () => {
    const actor = await requireActor("systems:manage");
    const system = await updateTeacherSystem(actor, UpdateTeacherSystemInput.parse(input));
    revalidatePath("/systems");
    return { id: system.id, name: system.name };
  });
}
