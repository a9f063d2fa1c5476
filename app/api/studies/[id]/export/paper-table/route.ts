import { requireActor } from "@/lib/auth/session";
import { handle } from "@/lib/http/error-mapper";
import { getPaperTable } from "@/lib/results";
import { recordStudyExport } from "@/lib/studies";

/** The paper's table of a study: ?format=csv (default), latex or json. */
export const GET = handle(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const actor = await requireActor("results:export");
  const { id } = await ctx.params;
  const format = new URL(req.url).searchParams.get("format") ?? undefined;
  const file = await getPaperTable(actor, { studyId: id, format });
  await recordStudyExport(actor, id, { export: "paper-table", format: format ?? "csv" });
  return new Response(file.body, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Cache-Control": "no-store",
    },
  });
});
