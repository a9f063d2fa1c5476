import { SubmitRatingSchema } from "@/lib/annotation";
import { participantSubmit, participantSubmitAndNext } from "@/lib/crowd";
import type { NodeReply, NodeRoute } from "@/lib/http/node-route";
import { participantRefFrom } from "../../participant-ref";

/**
 * A participant's rating { assignmentId, instructionsVersionId, scores, preference, activeMs }.
 * With `?next=1` the reply also carries what POST ../next would answer, so the page sends one
 * request per rating instead of two. Served two ways, by this one function: Next's route handler
 * (route.ts) and, under `npm start`, scripts/serve.ts itself (participantRatingNodeRoute).
 */
export async function rateAsParticipant(
  ref: { participantId: string; token: string },
  body: unknown,
  withNext: boolean,
): Promise<NodeReply> {
  const input = SubmitRatingSchema.parse(body);
  if (withNext) return { body: await participantSubmitAndNext(ref, input), headers: { "cache-control": "no-store" } };
  return { body: await participantSubmit(ref, input) };
}

/** The rating, answered before Next sees the request, as the annotators' (app/node-routes.ts). */
export const participantRatingNodeRoute: NodeRoute = {
  method: "POST",
  path: /^\/p\/([^/]+)\/api\/rating$/,
  maxBodyBytes: 64 * 1024,
  async run(req) {
    const ref = participantRefFrom(req.headers.get("cookie"), req.params[0]!);
    const body = await req.json().catch(() => ({}));
    return rateAsParticipant(ref, body, req.query.get("next") === "1");
  },
};
