"use server";
import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/session";
import { importEvalSet, previewEvalSetUpload } from "@/lib/eval-sets";
import { runAction } from "@/lib/http/error-mapper";
import { importChoicesFrom, uploadFrom } from "./upload-from-form";

/** Parses the upload and returns the preview; stores nothing. */
export async function previewUploadAction(form: FormData) {
  return runAction(async () => {
    const actor = await requireActor("eval-sets:manage");
    return previewEvalSetUpload(actor, uploadFrom(form)); // first: it refuses anything that is not form data
  });
}

export async function importUploadAction(form: FormData) {
  return runAction(async () => {
    const actor = await requireActor("eval-sets:manage");
    const { filename, file } = uploadFrom(form);
    const result = await importEvalSet(actor, {
      filename,
      file,
      ...importChoicesFrom(form),
      name: String(form.get("name") ?? ""), // form is FormData: uploadFrom refused anything else
      description: String(form.get("description") ?? ""),
      // The page polls /api/eval-sets/imports/<uploadId> for progress while this runs.
      uploadId: form.get("uploadId") ? String(form.get("uploadId")) : undefined,
    });
    revalidatePath("/eval-sets");
    return result;
  });
}
