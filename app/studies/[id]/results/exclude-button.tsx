"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { setParticipantPausedAction } from "../../actions";

/**
 * One click to leave a flagged annotator out of the results (or take them back). It pauses the
 * annotator in this study (audited); the stored results are recomputed without their ratings,
 * and the verdicts with and without flagged annotators stay side by side.
 */
export function ExcludeAnnotatorButton({
  studyId,
  userId,
  pseudonym,
  flags,
  isExcluded,
}: {
  studyId: string;
  userId: string;
  pseudonym: string;
  flags: string[];
  isExcluded: boolean;
}) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="no-print">
      <button
        type="button"
        className="secondary"
        disabled={pending}
        onClick={() =>
          start(async () => {
            const res = await setParticipantPausedAction({
              studyId,
              userId,
              isPaused: !isExcluded,
              ...(isExcluded ? {} : { reason: `Excluded from the results: ${flags.join("; ")}`.slice(0, 300) }),
            });
            if (res.ok) router.refresh();
            else setError(res.error.message);
          })
        }
      >
        {isExcluded ? `Include ${pseudonym} again` : `Exclude ${pseudonym}`}
      </button>
      {error && (
        <span className="error" role="alert">
          {" "}
          {error}
        </span>
      )}
    </span>
  );
}
