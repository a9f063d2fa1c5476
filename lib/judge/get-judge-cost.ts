import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { prisma, type DbOrTx } from "@/lib/db";
import { requireId } from "@/lib/ids";
import { requireStudyAccess } from "@/lib/studies";

export interface JudgeCost {
  judgeSystemId: string;
  judgeName: string;
  /** Stored ratings (one per call that succeeded). */
  calls: number;
  callsWithUsage: number;
  promptTokens: number;
  completionTokens: number;
  /** What the tokens cost at the prices set on the Systems page (any currency), or why there is no figure. */
  cost: { value: number; perCall: number } | { reason: string };
}

/** Tokens each judge spent on this study, as its endpoint reported them, and their cost. */
export async function getJudgeCost(actor: Actor | null, studyId: string, db: DbOrTx = prisma): Promise<JudgeCost[]> {
  requirePermission(actor, "results:read");
  await requireStudyAccess(actor, requireId(studyId, "study"), "read", db); // its owner, collaborators and admins only
  const groups = await db.judgeRating.groupBy({
    by: ["judgeSystemId"],
    where: { studyId },
    _count: { _all: true, promptTokens: true },
    _sum: { promptTokens: true, completionTokens: true },
  });
  const systems = await db.system.findMany({
    where: { id: { in: groups.map((g) => g.judgeSystemId) } },
    select: { id: true, name: true, inputPricePerMTokens: true, outputPricePerMTokens: true },
    orderBy: { name: "asc" },
  });
  return systems.map((s) => {
    const g = groups.find((x) => x.judgeSystemId === s.id)!;
    const prompt = g._sum.promptTokens ?? 0;
    const completion = g._sum.completionTokens ?? 0;
    const withUsage = g._count.promptTokens;
    const priced = s.inputPricePerMTokens !== null || s.outputPricePerMTokens !== null;
    const value = (prompt * (s.inputPricePerMTokens ?? 0) + completion * (s.outputPricePerMTokens ?? 0)) / 1e6;
    return {
      judgeSystemId: s.id,
      judgeName: s.name,
      calls: g._count._all,
      callsWithUsage: withUsage,
      promptTokens: prompt,
      completionTokens: completion,
      cost: !priced
        ? { reason: `no price per token is set for ${s.name} (Systems page)` }
        : withUsage === 0
          ? { reason: "its endpoint reported no token counts" }
          : { value, perCall: value / withUsage },
    };
  });
}
