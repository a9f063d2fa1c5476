import { NextResponse } from "next/server";
import { requireActor } from "@/lib/auth/session";
import { trainingPairsManifest, TrainingPairsInput } from "@/lib/distillation";
import { handle } from "@/lib/http/error-mapper";

/** The manifest of the same export: filters and counts. */
export const GET = handle(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const actor = await requireActor("distillation:export");
  const q = Object.fromEntries(new URL(req.url).searchParams);
  const manifest = await trainingPairsManifest(
    actor,
    TrainingPairsInput.parse({ ...q, evalSetId: (await ctx.params).id }),
  );
  return NextResponse.json(manifest, {
    headers: { "Content-Disposition": 'attachment; filename="training-pairs.manifest.json"' },
  });
});
