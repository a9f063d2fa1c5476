import type { Actor } from "@/lib/auth/permissions";
import { requireRequestActor } from "@/lib/auth/session";
import type { NodeReply, NodeRoute } from "@/lib/http/node-route";
import { submitRating, submitRatingAndNext } from "@/lib/annotation";
import { SubmitRatingInput } from "@/lib/annotation/schemas";

/**
 * A rating of one of the annotator's items (idempotent). With `?next=1` the reply also carries
 * the annotator's next item, as POST /api/annotation/studies/[id]/next answers it, so the page
 * needs one request per rating instead of two. Served two ways, by this one function: Next's
 * route handler (route.ts) and, under `npm start`, scripts/serve.ts itself (ratingNodeRoute).
 */
export async function rate(actor: Actor, assignmentId: string, body: unknown, withNext: boolean): Promise<NodeReply> {
  const input = SubmitRatingInput.parse({ ...(body as object), assignmentId });
  if (withNext) return { body: await submitRatingAndNext(actor, input), headers: { "cache-control": "no-store" } };
  const { assignmentId: saved, revision } = await submitRating(actor, input);
  return { body: { assignmentId: saved, revision } };
}

/** The rating, answered before Next sees the request: every annotator's every rating comes here. */
export const ratingNodeRoute: NodeRoute = {
  method: "POST",
  path: /^\/api\/annotation\/assignments\/([^/]+)\/rating$/,
  // A rating (ids, a score per criterion and side, a preference) is a few hundred bytes.
  maxBodyBytes: 64 * 1024,
  async run(req) {
    const actor = await requireRequestActor(req.headers, "annotation:work");
    const body = await req.json().catch(() => ({}));
    return rate(actor, req.params[0]!, body, req.query.get("next") === "1");
  },
};
