import type { Metadata } from "next";
import { getParticipantView } from "@/lib/crowd";
import { participantRef } from "./participant-ref";
import { ParticipantClient } from "./participant-client";

export const metadata: Metadata = { title: "Study", description: "A rating study" };

/** The external participant's page: consent, instructions, check, items, then the platform's code. */
export default async function ParticipantPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const ref = await participantRef(token, { isRequired: false });
  if (!ref)
    return (
      <section className="narrow">
        <h1>Open this study from the platform</h1>
        <p>This page is reached through the link on Prolific or MTurk, which carries your participant id.</p>
      </section>
    );
  const view = await getParticipantView(ref);
  return <ParticipantClient token={token} initial={view} />;
}
