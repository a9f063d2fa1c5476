import Link from "next/link";
import type { Actor } from "@/lib/auth/permissions";
import { getJudgeAgreement } from "@/lib/judge";
import { JudgeAgreement } from "@/app/_components/judge-agreement";

/** The LLM judge's ratings beside the humans', never mixed into the statistics above. */
export async function JudgeSection({ actor, studyId }: { actor: Actor; studyId: string }) {
  const r = await getJudgeAgreement(actor, studyId);
  return (
    <section aria-labelledby="judge-heading">
      <h2 id="judge-heading">LLM judge beside the annotators</h2>
      {r.judgedPairs === 0 ? (
        <p>
          No judge ratings yet. <Link href={`/studies/${studyId}/judge`}>Run the LLM judge</Link> to see whether it
          could stand in for annotators on this data.
        </p>
      ) : (
        <JudgeAgreement r={r} />
      )}
    </section>
  );
}
