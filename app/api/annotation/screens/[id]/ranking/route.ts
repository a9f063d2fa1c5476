import { requireActor } from "@/lib/auth/session";
import { handle } from "@/lib/http/error-mapper";
import { jsonReply } from "@/lib/http/json-reply";
import { submitRanking, SubmitRankingSchema } from "@/lib/annotation";

/** POST: submit (or revise) a ranking screen: every text's scores and rank (idempotent). */
export const POST = handle(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const actor = await requireActor("annotation:work");
  const { id } = await ctx.params;
  const input = SubmitRankingSchema.parse({ ...(await req.json().catch(() => ({}))), screenId: id });
  return jsonReply(await submitRanking(actor, input));
});
