import { requireActor } from "@/lib/auth/session";
import { handle } from "@/lib/http/error-mapper";
import { jsonReply } from "@/lib/http/json-reply";
import { skipScreen, SkipScreenSchema } from "@/lib/annotation";

/** POST: skip a ranking screen with a reason, or flag it as broken. */
export const POST = handle(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const actor = await requireActor("annotation:work");
  const { id } = await ctx.params;
  const input = SkipScreenSchema.parse({ ...(await req.json().catch(() => ({}))), screenId: id });
  return jsonReply(await skipScreen(actor, input));
});
