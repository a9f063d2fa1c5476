import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { visibleStudiesWhere } from "./study-access";
import { prisma, type DbOrTx } from "@/lib/db";

export interface StudySummary {
  id: string;
  name: string;
  status: string;
  evalSetName: string;
  teacherName: string;
  studentNames: string[];
  pairCount: number;
  /** People's ratings; the demo's simulated ratings are counted apart. */
  ratingCount: number;
  simulatedRatingCount: number;
  isDemo: boolean;
}

/** The studies a researcher owns or collaborates on (admins: all), newest first. */
export async function listStudies(actor: Actor | null, db: DbOrTx = prisma): Promise<StudySummary[]> {
  requirePermission(actor, "studies:manage");
  const rows = await db.study.findMany({
    where: visibleStudiesWhere(actor),
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      name: true,
      status: true,
      isDemo: true,
      evalSet: { select: { name: true } },
      teacherSystem: { select: { name: true } },
      students: { select: { system: { select: { name: true } } } },
      _count: { select: { pairs: true, ratings: { where: { isSimulated: false } } } },
    },
  });
  const simulated = await db.rating.groupBy({
    by: ["studyId"],
    where: { isSimulated: true, studyId: { in: rows.map((r) => r.id) } },
    _count: true,
  });
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    status: r.status,
    isDemo: r.isDemo,
    evalSetName: r.evalSet.name,
    teacherName: r.teacherSystem.name,
    studentNames: r.students.map((s) => s.system.name),
    pairCount: r._count.pairs,
    ratingCount: r._count.ratings,
    simulatedRatingCount: simulated.find((x) => x.studyId === r.id)?._count ?? 0,
  }));
}
