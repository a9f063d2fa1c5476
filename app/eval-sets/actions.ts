"use server";
import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/session";
import { ValidationError } from "@/lib/errors";
import {
  fileTooLargeMessage,
  importEvalSet,
  MAX_EVAL_SET_FILE_BYTES,
  previewEvalSetUpload,
  uploadedFileProblem,
} from "@/lib/eval-sets";
import { runAction } from "@/lib/http/error-mapper";

async function fileFrom(form: FormData) {
  // Called without form data (a hand-made request): a 422 that says what to send, not a crash.
  const file = form instanceof FormData ? form.get("file") : null;
  const problem = uploadedFileProblem(file instanceof File ? file : null);
  if (problem || !(file instanceof File))
    throw new ValidationError(problem ?? "Choose a file", { file: problem ?? "Choose a file" });
  // Refused before the file is read into memory; the parser says the same for a smaller limit.
  if (file.size > MAX_EVAL_SET_FILE_BYTES)
    throw new ValidationError(fileTooLargeMessage(file.size, MAX_EVAL_SET_FILE_BYTES));
  return { filename: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
}

/** Parses the upload and returns the preview; stores nothing. */
export async function previewUploadAction(form: FormData) {
  return runAction(async () => {
    const actor = await requireActor("eval-sets:manage");
    const file = await fileFrom(form); // first: it refuses anything that is not form data
    const rowOffset = Number(form.get("rowOffset") ?? 0);
    return previewEvalSetUpload(actor, {
      ...file,
      rowOffset: Number.isInteger(rowOffset) && rowOffset >= 0 ? rowOffset : 0,
    });
  });
}

export async function importUploadAction(form: FormData) {
  return runAction(async () => {
    const actor = await requireActor("eval-sets:manage");
    const result = await importEvalSet(actor, {
      ...(await fileFrom(form)),
      name: String(form.get("name") ?? ""), // form is FormData: fileFrom refused anything else
      description: String(form.get("description") ?? ""),
      dropBadRows: form.get("dropBadRows") === "on",
      teacherSystems: form.getAll("teacherSystems").map(String),
      // The page polls /api/eval-sets/imports/<uploadId> for progress while this runs.
      uploadId: form.get("uploadId") ? String(form.get("uploadId")) : undefined,
    });
    revalidatePath("/eval-sets");
    return result;
  });
}
