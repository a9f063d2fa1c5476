import { requireActor } from "@/lib/auth/session";
import { handle } from "@/lib/http/error-mapper";
import { jsonReply } from "@/lib/http/json-reply";
import { renewScreenLease } from "@/lib/annotation";

/** POST: keep the annotator's open ranking screen reserved while they are working on it. */
export const POST = handle(async (_req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const actor = await requireActor("annotation:work");
  const { id } = await ctx.params;
  return jsonReply(await renewScreenLease(actor, { screenId: id }));
});
