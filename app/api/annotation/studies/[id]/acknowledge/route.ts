import { requireActor } from "@/lib/auth/session";
import { handle } from "@/lib/http/error-mapper";
import { jsonReply } from "@/lib/http/json-reply";
import { acknowledgeInstructions } from "@/lib/annotation";
import { AcknowledgeInput } from "@/lib/annotation/schemas";

/** POST: the annotator acknowledges the study's current instructions version. */
export const POST = handle(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const actor = await requireActor("annotation:work");
  const { id } = await ctx.params;
  const input = AcknowledgeInput.parse({ ...(await req.json().catch(() => ({}))), studyId: id });
  return jsonReply(await acknowledgeInstructions(actor, input));
});
