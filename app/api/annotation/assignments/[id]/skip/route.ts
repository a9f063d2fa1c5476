import { requireActor } from "@/lib/auth/session";
import { handle } from "@/lib/http/error-mapper";
import { jsonReply } from "@/lib/http/json-reply";
import { skipItem } from "@/lib/annotation";
import { SkipInput } from "@/lib/annotation/schemas";

/** POST: skip an item with a reason, or flag it as broken. */
export const POST = handle(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const actor = await requireActor("annotation:work");
  const { id } = await ctx.params;
  const input = SkipInput.parse({ ...(await req.json().catch(() => ({}))), assignmentId: id });
  return jsonReply(await skipItem(actor, input));
});
