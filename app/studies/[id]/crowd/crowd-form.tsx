"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { saveCrowdSettingsAction, type CrowdFormValues } from "./actions";

type Values = Omit<CrowdFormValues, "studyId">;

/** Consent text, comprehension check and codes for participants who come from a crowd platform. */
export function CrowdForm({ studyId, initial }: { studyId: string; initial: Values }) {
  const router = useRouter();
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const { register, handleSubmit, formState } = useForm<Values>({ defaultValues: initial });
  async function onSubmit(v: Values) {
    const res = await saveCrowdSettingsAction({ ...v, studyId, maxAttentionFailures: Number(v.maxAttentionFailures) });
    setNote(res.ok ? { ok: true, text: "Saved." } : { ok: false, text: res.error.message });
    if (res.ok) router.refresh();
  }
  return (
    <form aria-label="External participants" onSubmit={handleSubmit(onSubmit)} className="stack">
      <label style={{ display: "flex", gap: "0.5rem" }}>
        <input type="checkbox" {...register("isEnabled")} /> Take external participants through a public study link
      </label>
      <label>
        Consent text (markdown)
        <textarea rows={6} {...register("consentMarkdown")} />
      </label>
      <label>
        Comprehension check: one question per block, a blank line between blocks, &quot;* &quot; before the right option
        and &quot;- &quot; before the others (participants get two tries)
        <textarea rows={6} {...register("checkText")} />
      </label>
      <label>
        Completion code
        <input {...register("completionCode")} />
      </label>
      <label>
        Screen-out code (failed attention checks)
        <input {...register("screenOutCode")} />
      </label>
      <label>
        Failed attention checks that end a session
        <input type="number" min={1} max={20} {...register("maxAttentionFailures")} />
      </label>
      <div className="actions">
        <button type="submit" disabled={formState.isSubmitting}>
          Save
        </button>
        <span role="status" className={note?.ok ? "ok" : "error"}>
          {note?.text}
        </span>
      </div>
    </form>
  );
}
