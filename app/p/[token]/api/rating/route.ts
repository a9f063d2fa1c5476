import { handle } from "@/lib/http/error-mapper";
import { jsonReply } from "@/lib/http/json-reply";
import { participantRef } from "../../participant-ref";
import { rateAsParticipant } from "./rate";

/** POST: a participant's rating, with `?next=1` their next item too (rate.ts). */
export const POST = handle(async (req: Request, ctx: { params: Promise<{ token: string }> }) => {
  const ref = await participantRef((await ctx.params).token);
  const body = await req.json().catch(() => ({}));
  const { body: reply, headers } = await rateAsParticipant(
    ref!,
    body,
    new URL(req.url).searchParams.get("next") === "1",
  );
  return jsonReply(reply, { headers });
});
