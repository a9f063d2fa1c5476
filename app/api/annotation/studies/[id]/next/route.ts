import { requireActor } from "@/lib/auth/session";
import { handle } from "@/lib/http/error-mapper";
import { jsonReply } from "@/lib/http/json-reply";
import { getNextItem } from "@/lib/annotation";

/** POST: the annotator's current item (resumed or newly claimed); POST because claiming changes state. */
export const POST = handle(async (_req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const actor = await requireActor("annotation:work");
  const { id } = await ctx.params;
  return jsonReply(await getNextItem(actor, { studyId: id }), { headers: { "cache-control": "no-store" } });
});
