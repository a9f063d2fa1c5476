import { requireActor } from "@/lib/auth/session";
import { trainingPairsJsonl, TrainingPairsInput } from "@/lib/distillation";
import { handle } from "@/lib/http/error-mapper";

type Ctx = { params: Promise<{ id: string }> };

/** Distillation data: the teacher's filtered paraphrases as JSONL training pairs, streamed. */
export const GET = handle(async (req: Request, ctx: Ctx) => {
  const actor = await requireActor("distillation:export");
  const q = Object.fromEntries(new URL(req.url).searchParams);
  const chunks = await trainingPairsJsonl(actor, TrainingPairsInput.parse({ ...q, evalSetId: (await ctx.params).id }));
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": "application/x-ndjson; charset=utf-8",
      "Content-Disposition": 'attachment; filename="training-pairs.jsonl"',
    },
  });
});
