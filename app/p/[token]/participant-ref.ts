import { cookies } from "next/headers";
import { PARTICIPANT_COOKIE, verifyParticipant } from "@/lib/crowd";
import { UnauthorizedError } from "@/lib/errors";

/** The participant bound to this browser by the signed cookie, for the study whose link this is. */
export async function participantRef(token: string, { isRequired = true } = {}) {
  const participantId = verifyParticipant((await cookies()).get(PARTICIPANT_COOKIE)?.value);
  if (!participantId) {
    if (!isRequired) return null;
    throw new UnauthorizedError("Open this study from the link on Prolific or MTurk");
  }
  return { participantId, token };
}
