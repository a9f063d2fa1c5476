import { requireActor } from "@/lib/auth/session";
import { handle } from "@/lib/http/error-mapper";
import { jsonReply } from "@/lib/http/json-reply";
import { rate } from "./rate";

/** POST: submit or revise a rating, with `?next=1` the next item too (rate.ts). */
export const POST = handle(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const actor = await requireActor("annotation:work");
  const { id } = await ctx.params;
  const body = await req.json().catch(() => ({}));
  const { body: reply, headers } = await rate(actor, id, body, new URL(req.url).searchParams.get("next") === "1");
  return jsonReply(reply, { headers });
});
