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
  const done = await db.assignment.groupBy({
    by: ["pairId"],
    where: { annotatorId: actor.id, status: "SUBMITTED" },
    _count: true,
  });
  const doneByStudy = new Map<string, number>();
  if (done.length) {
    const pairs = await db.pair.findMany({ where: { id: { in: done.map((d) => d.pairId) } }, select: { studyId: true } });
    for (const p of pairs) doneByStudy.set(p.studyId, (doneByStudy.get(p.studyId) ?? 0) + 1);
  }
  return rows.map((r) => ({ studyId: r.study.id, name: r.study.name, status: r.study.status, isPaused: r.isPaused, done: doneByStudy.get(r.study.id) ?? 0 }));
}
