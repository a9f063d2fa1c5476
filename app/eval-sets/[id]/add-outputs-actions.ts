"use server";
import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/session";
import { addOutputs, previewAddOutputs } from "@/lib/eval-sets";
import { runAction } from "@/lib/http/error-mapper";
import { importChoicesFrom, uploadFrom } from "../upload-from-form";

/** Parses a file of outputs for an existing eval set and returns the preview; stores nothing. */
export async function previewAddOutputsAction(form: FormData) {
  return runAction(async () => {
    const actor = await requireActor("eval-sets:manage");
    const upload = uploadFrom(form);
    return previewAddOutputs(actor, { ...upload, evalSetId: String(form.get("evalSetId") ?? "") });
  });
}

/** Adds the file's outputs to the items with the same ids. */
export async function addOutputsAction(form: FormData) {
  return runAction(async () => {
    const actor = await requireActor("eval-sets:manage");
    const { filename, file } = uploadFrom(form);
    const evalSetId = String(form.get("evalSetId") ?? "");
    const result = await addOutputs(actor, { evalSetId, filename, file, ...importChoicesFrom(form) });
    revalidatePath(`/eval-sets/${evalSetId}`);
    return result;
  });
}
