import { requireActor } from "@/lib/auth/session";
import { exportOutputs } from "@/lib/explorer";
import { handle } from "@/lib/http/error-mapper";

/** Every output of an eval set with its metrics: ?format=csv (default) or jsonl, streamed. */
export const GET = handle(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const actor = await requireActor("eval-sets:read");
  const { id } = await ctx.params;
  const format = new URL(req.url).searchParams.get("format") ?? undefined;
  const file = await exportOutputs(actor, { evalSetId: id, format });
  return new Response(file.body, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Cache-Control": "no-store",
    },
  });
});
