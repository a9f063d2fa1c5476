import { requireActor } from "@/lib/auth/session";
import { recordStudyExport } from "@/lib/studies";
import { handle } from "@/lib/http/error-mapper";
import { exportStudyResults } from "@/lib/results";

/** The computed results and metrics of a study as JSON (?scale=z|raw for the tests' scale). */
export const GET = handle(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const actor = await requireActor("results:export");
  const { id } = await ctx.params;
  const scale = new URL(req.url).searchParams.get("scale") ?? undefined;
  const { filename, document } = await exportStudyResults(actor, { studyId: id, scale });
  await recordStudyExport(actor, id, { export: "results", scale: scale ?? "raw" });
  return new Response(JSON.stringify(document, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
});
