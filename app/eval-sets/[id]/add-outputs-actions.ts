"use server";
import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/session";
import { ValidationError } from "@/lib/errors";
import {
  addOutputs,
  fileTooLargeMessage,
  MAX_EVAL_SET_FILE_BYTES,
  previewAddOutputs,
  uploadedFileProblem,
} from "@/lib/eval-sets";
import { runAction } from "@/lib/http/error-mapper";

async function uploadFrom(form: FormData) {
  // Called without form data (a hand-made request): a 422 that says what to send, not a crash.
  const file = form instanceof FormData ? form.get("file") : null;
  const problem = uploadedFileProblem(file instanceof File ? file : null);
  if (problem || !(file instanceof File))
    throw new ValidationError(problem ?? "Choose a file", { file: problem ?? "Choose a file" });
  if (file.size > MAX_EVAL_SET_FILE_BYTES)
    throw new ValidationError(fileTooLargeMessage(file.size, MAX_EVAL_SET_FILE_BYTES));
  return {
    evalSetId: String(form.get("evalSetId") ?? ""),
    filename: file.name,
    bytes: new Uint8Array(await file.arrayBuffer()),
  };
}

/** Parses a file of outputs for an existing eval set and returns the preview; stores nothing. */
export async function previewAddOutputsAction(form: FormData) {
  return runAction(async () => {
    const actor = await requireActor("eval-sets:manage");
    const upload = await uploadFrom(form);
    const rowOffset = Number(form.get("rowOffset") ?? 0);
    return previewAddOutputs(actor, {
      ...upload,
      rowOffset: Number.isInteger(rowOffset) && rowOffset >= 0 ? rowOffset : 0,
    });
  });
}

/** Adds the file's outputs to the items with the same ids. */
export async function addOutputsAction(form: FormData) {
  return runAction(async () => {
    const actor = await requireActor("eval-sets:manage");
    const upload = await uploadFrom(form);
    const result = await addOutputs(actor, {
      ...upload,
      dropBadRows: form.get("dropBadRows") === "on",
      teacherSystems: form.getAll("teacherSystems").map(String),
    });
    revalidatePath(`/eval-sets/${upload.evalSetId}`);
    return result;
  });
}
