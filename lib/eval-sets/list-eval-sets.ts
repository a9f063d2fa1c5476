import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { prisma, type DbOrTx } from "@/lib/db";

export interface EvalSetSummary {
  id: string;
  name: string;
  description: string;
  itemCount: number;
  isDemo: boolean;
  createdAt: Date;
}

/** Every eval set with its size, newest first. */
export async function listEvalSets(actor: Actor | null, db: DbOrTx = prisma): Promise<EvalSetSummary[]> {
  requirePermission(actor, "eval-sets:read");
  const rows = await db.evalSet.findMany({
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      name: true,
      description: true,
      isDemo: true,
      createdAt: true,
      _count: { select: { items: true } },
    },
  });
  return rows.map(({ _count, ...r }) => ({ ...r, itemCount: _count.items }));
}
