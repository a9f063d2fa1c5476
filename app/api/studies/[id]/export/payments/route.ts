import { requireActor } from "@/lib/auth/session";
import { exportPayments } from "@/lib/crowd";
import { handle } from "@/lib/http/error-mapper";

/** The payment export of a study's external participants: ?ids=1 for platform ids, else pseudonyms. */
export const GET = handle(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const actor = await requireActor("results:export");
  const { id } = await ctx.params;
  const withPlatformIds = new URL(req.url).searchParams.get("ids") === "1";
  const file = await exportPayments(actor, { studyId: id, withPlatformIds });
  return new Response(file.csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Cache-Control": "no-store",
    },
  });
});
