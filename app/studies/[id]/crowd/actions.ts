"use server";
import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/session";
import { parseComprehensionText, updateCrowdSettings } from "@/lib/crowd";
import { runAction } from "@/lib/http/error-mapper";

export interface CrowdFormValues {
  studyId: string;
  isEnabled: boolean;
  consentMarkdown: string;
  checkText: string;
  completionCode: string;
  screenOutCode: string;
  maxAttentionFailures: number;
}

export async function saveCrowdSettingsAction(v: CrowdFormValues) {
  return runAction(async () => {
    const actor = await requireActor("studies:manage");
    const result = await updateCrowdSettings(actor, {
      studyId: String(v.studyId),
      isEnabled: Boolean(v.isEnabled),
      settings: v.isEnabled
        ? {
            consentMarkdown: String(v.consentMarkdown ?? ""),
            comprehension: parseComprehensionText(String(v.checkText ?? "")),
            completionCode: String(v.completionCode ?? ""),
            screenOutCode: String(v.screenOutCode ?? ""),
            maxAttentionFailures: Number(v.maxAttentionFailures),
          }
        : undefined,
    });
    revalidatePath(`/studies/${v.studyId}/crowd`);
    return { isEnabled: result.isEnabled };
  });
}
