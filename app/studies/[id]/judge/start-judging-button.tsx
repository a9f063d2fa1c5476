"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { startJudgingAction } from "./actions";

export function StartJudgingButton({ studyId }: { studyId: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  return (
    <p>
      <button
        type="button"
        disabled={pending}
        onClick={() =>
          start(async () => {
            const res = await startJudgingAction(studyId);
            setNote(
              res.ok
                ? {
                    ok: true,
                    text: `Queued: ${res.data.total} judgements (every pair in both orders; done ones are skipped).`,
                  }
                : { ok: false, text: res.error.message },
            );
            router.refresh();
          })
        }
      >
        Run the LLM judge
      </button>{" "}
      <span role="status" className={note?.ok ? "ok" : "error"}>
        {note?.text}
      </span>
    </p>
  );
}
