"use server";
import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/session";
import { startGeneration, StartGenerationInput } from "@/lib/generation";
import { runAction } from "@/lib/http/error-mapper";

export async function startGenerationAction(input: unknown) {
  return runAction(async () => {
    const actor = await requireActor("generation:run");
    const parsed = StartGenerationInput.parse(input);
    const result = await startGeneration(actor, parsed);
    revalidatePath(`/eval-sets/${parsed.evalSetId}`);
    return result;
  });
}
