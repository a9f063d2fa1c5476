"use server";
import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/session";
import { runAction } from "@/lib/http/error-mapper";
import { startJudging } from "@/lib/judge";

export async function startJudgingAction(studyId: string) {
  return runAction(async () => {
    const actor = await requireActor("judge:run");
    const result = await startJudging(actor, { studyId: String(studyId) });
    revalidatePath(`/studies/${studyId}/judge`);
    return result;
  });
}
