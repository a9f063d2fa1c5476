import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { prisma, type DbOrTx } from "@/lib/db";

export interface MyStudy {
  studyId: string;
  name: string;
  status: string;
  done: number;
  isPaused: boolean;
}

/**
 * The studies an annotator takes part in, with how many items they have finished. Nothing
 * about systems is selected: this reaches the annotator's browser.
 */
export async function listMyStudies(actor: Actor | null, db: DbOrTx = prisma): Promise<MyStudy[]> {
  requirePermission(actor, "annotation:work");
  const rows = await db.studyParticipant.findMany({
    where: { userId: actor.id, study: { status: { in: ["LIVE", "PAUSED"] } } },
    select: { isPaused: true, study: { select: { id: true, name: true, status: true } } },
    orderBy: { study: { createdAt: "desc" } },
  });
  // One grouped count for this annotator's studies, not every submitted assignment they ever made;
  // a ranking screen (several pairs) counts as one item.
  const done = rows.length
    ? await db.$queryRaw<{ studyId: string; n: bigint }[]>`
        SELECT p."studyId", COUNT(DISTINCT coalesce(a."screenId", a."id")) AS n FROM "Assignment" a JOIN "Pair" p ON p.id = a."pairId"
        WHERE a."annotatorId" = ${actor.id}::uuid AND a.status = 'SUBMITTED' AND p."studyId" = ANY(${rows.map((r) => r.study.id)}::uuid[])
        GROUP BY p."studyId"`
    : [];
  const doneByStudy = new Map(done.map((d) => [d.studyId, Number(d.n)]));
  return rows.map((r) => ({
    studyId: r.study.id,
    name: r.study.name,
    status: r.study.status,
    isPaused: r.isPaused,
    done: doneByStudy.get(r.study.id) ?? 0,
  }));
}
