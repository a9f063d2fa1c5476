"use server";
import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/session";
import { runAction } from "@/lib/http/error-mapper";
import {
  createTeacherSystem,
  CreateTeacherSystemInput,
  rescanModels,
  setSystemPrice,
  type SetSystemPriceValues,
  updateTeacherSystem,
  UpdateTeacherSystemInput,
  type SystemView,
} from "@/lib/systems";

/** Both teacher forms: refresh the systems page and answer with the saved system's id and name. */
async function savedTeacher(saving: Promise<SystemView>) {
  const { id, name } = await saving;
  revalidatePath("/systems");
  return { id, name };
}

export async function createTeacherSystemAction(input: unknown) {
  return runAction(async () =>
    savedTeacher(createTeacherSystem(await requireActor("systems:manage"), CreateTeacherSystemInput.parse(input))),
  );
}

export async function rescanModelsAction() {
  return runAction(async () => {
    const result = await rescanModels(await requireActor("systems:manage"));
    revalidatePath("/systems");
    return result;
  });
}

export async function updateTeacherSystemAction(input: unknown) {
  return runAction(async () =>
    savedTeacher(updateTeacherSystem(await requireActor("systems:manage"), UpdateTeacherSystemInput.parse(input))),
  );
}

/** The price form on each system's row (admins): per million input and output tokens, per CPU-hour for ONNX students; empty clears. */
export async function setSystemPriceAction(input: unknown) {
  return runAction(async () => {
    // setSystemPrice validates the values itself, with messages that name the price.
    const saved = await setSystemPrice(await requireActor("systems:manage"), input as SetSystemPriceValues);
    revalidatePath("/systems");
    return saved;
  });
}
