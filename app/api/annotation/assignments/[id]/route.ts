import { requireActor } from "@/lib/auth/session";
import { handle } from "@/lib/http/error-mapper";
import { jsonReply } from "@/lib/http/json-reply";
import { getMyAssignment } from "@/lib/annotation";

/** GET: one of the annotator's own earlier items with their rating, to revise it. */
export const GET = handle(async (_req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const actor = await requireActor("annotation:work");
  const { id } = await ctx.params;
  return jsonReply(
    { item: await getMyAssignment(actor, { assignmentId: id }) },
    { headers: { "cache-control": "no-store" } },
  );
});
