import { requireActor } from "@/lib/auth/session";
import { recordStudyExport } from "@/lib/studies";
import { handle } from "@/lib/http/error-mapper";
import { exportRatings } from "@/lib/results";

/** Every rating of a study with provenance: ?format=csv (default) or jsonl, streamed. */
export const GET = handle(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const actor = await requireActor("results:export");
  const { id } = await ctx.params;
  const format = new URL(req.url).searchParams.get("format") ?? undefined;
  const file = await exportRatings(actor, { studyId: id, format });
  await recordStudyExport(actor, id, { export: "ratings", format: format ?? "csv" });
  return new Response(file.body, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Cache-Control": "no-store",
    },
  });
});
