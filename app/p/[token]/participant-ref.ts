import { parseCookie } from "cookie";
import { cookies } from "next/headers";
import { PARTICIPANT_COOKIE, verifyParticipant } from "@/lib/crowd";
import { UnauthorizedError } from "@/lib/errors";

/** The participant bound to this browser by the signed cookie, for the study whose link this is. */
export async function participantRef(token: string, { isRequired = true } = {}) {
  return refOf((await cookies()).get(PARTICIPANT_COOKIE)?.value, token, isRequired);
}

/**
 * The same, read from a request's own Cookie header, for a route `npm start` answers before Next
 * (app/node-routes.ts), where Next's cookies() has no request to read.
 */
export function participantRefFrom(cookieHeader: string | null, token: string) {
  return refOf(parseCookie(cookieHeader ?? "")[PARTICIPANT_COOKIE], token, true)!;
}

function refOf(cookie: string | undefined, token: string, isRequired: boolean) {
  const participantId = verifyParticipant(cookie);
  if (!participantId) {
    if (!isRequired) return null;
    throw new UnauthorizedError("Open this study from the link on Prolific or MTurk");
  }
  return { participantId, token };
}
