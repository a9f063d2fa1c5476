import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { prisma, type DbOrTx } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { bootstrapMeanCI } from "@/lib/stats";
import { requireStudyAccess } from "@/lib/studies";

/** One submitted ranking screen: the source, and each shown text's system and competition rank (1 = best). */
export interface ScreenRanks {
  itemId: string;
  ranks: { systemId: string; rank: number }[];
}

export interface Interval {
  estimate: number;
  lower: number | null;
  upper: number | null;
}

export interface RankingSummary {
  screens: number;
  sources: number;
  /** Texts per screen (teacher + students), the most seen. */
  textsPerScreen: number;
  systems: {
    systemId: string;
    name: string;
    isTeacher: boolean;
    /** Mean rank (1 = best), 95% bootstrap interval over sources. */
    meanRank: Interval;
    /** Students only: share of their screens where they ranked at or above the teacher (a tie counts), same interval. */
    atOrAboveTeacher: Interval | null;
  }[];
}

const SEED = 20261202;

/**
 * The ranking figures of a RANKING study, from its screens alone (pure). Sources are the unit of
 * the bootstrap: per source, a system's mean rank (and its share at or above the teacher) over
 * that source's screens, then the mean over sources with a percentile interval. With k screens on
 * every source this equals the mean over screens.
 */
export function summarizeRankings(args: {
  screens: ScreenRanks[];
  teacherId: string;
  names: Map<string, string>;
}): Omit<RankingSummary, "screens"> & { screens: number } {
  // Screens grouped by source once: a per-source filter over all screens was quadratic.
  const bySource = new Map<string, ScreenRanks[]>();
  for (const screen of args.screens) {
    const group = bySource.get(screen.itemId);
    if (group) group.push(screen);
    else bySource.set(screen.itemId, [screen]);
  }
  const items = [...bySource.keys()];
  const systemIds = [args.teacherId, ...[...args.names.keys()].filter((id) => id !== args.teacherId)];
  const textsPerScreen = Math.max(0, ...args.screens.map((s) => s.ranks.length));
  const perItem = (value: (s: ScreenRanks) => number | null) =>
    items.map((itemId) => {
      const vs = bySource
        .get(itemId)!
        .map(value)
        .filter((v): v is number => v !== null);
      return vs.length ? vs.reduce((a, b) => a + b, 0) / vs.length : NaN;
    });
  const interval = (values: number[]): Interval => {
    const present = values.filter((v) => !Number.isNaN(v));
    const estimate = present.reduce((a, b) => a + b, 0) / present.length;
    const ci = bootstrapMeanCI(values, { seed: SEED, samples: 2000 });
    return ci.ok ? { estimate, lower: ci.lower, upper: ci.upper } : { estimate, lower: null, upper: null };
  };
  const rankOf = (s: ScreenRanks, id: string) => s.ranks.find((r) => r.systemId === id)?.rank ?? null;
  return {
    screens: args.screens.length,
    sources: items.length,
    textsPerScreen,
    systems: systemIds
      .filter((id) => args.screens.some((s) => rankOf(s, id) !== null))
      .map((id) => ({
        systemId: id,
        name: args.names.get(id) ?? id,
        isTeacher: id === args.teacherId,
        meanRank: interval(perItem((s) => rankOf(s, id))),
        atOrAboveTeacher:
          id === args.teacherId
            ? null
            : interval(
                perItem((s) => {
                  const mine = rankOf(s, id);
                  const teacher = rankOf(s, args.teacherId);
                  return mine === null || teacher === null ? null : mine <= teacher ? 1 : 0;
                }),
              ),
      })),
  };
}

/** The ranking section of a RANKING study's results (null for a pairwise study); paused (excluded) annotators left out. */
export async function getRankingSummary(
  actor: Actor | null,
  input: { studyId: string },
  db: DbOrTx = prisma,
): Promise<RankingSummary | null> {
  requirePermission(actor, "results:read");
  await requireStudyAccess(actor, input.studyId, "read", db);
  return computeRankingSummary(input.studyId, db);
}

/** The same without the permission check: computed with the rest of a study's results and stored with them. */
export async function computeRankingSummary(studyId: string, db: DbOrTx = prisma): Promise<RankingSummary | null> {
  const study = await db.study.findUnique({
    where: { id: studyId },
    select: {
      design: true,
      teacherSystemId: true,
      teacherSystem: { select: { name: true } },
      students: { select: { system: { select: { id: true, name: true } } } },
      participants: { where: { isPaused: true }, select: { userId: true } },
    },
  });
  if (!study) throw new NotFoundError("No such study");
  if (study.design !== "RANKING") return null;
  const rows = await db.rankingScreen.findMany({
    where: { studyId, submittedAt: { not: null } },
    select: {
      itemId: true,
      annotatorId: true,
      shownOrder: true,
      ranks: true,
      assignments: { select: { pairId: true, pair: { select: { studentSystemId: true } } } },
    },
  });
  const paused = new Set(study.participants.map((p) => p.userId));
  const screens = rows
    .filter((r) => !paused.has(r.annotatorId))
    .map((r) => {
      const system = new Map(r.assignments.map((a) => [a.pairId, a.pair.studentSystemId]));
      const ranks = r.ranks as number[];
      return {
        itemId: r.itemId,
        ranks: (r.shownOrder as (string | null)[]).map((pairId, i) => ({
          systemId: pairId === null ? study.teacherSystemId : (system.get(pairId) ?? "?"),
          rank: ranks[i],
        })),
      };
    });
  const names = new Map([
    [study.teacherSystemId, study.teacherSystem.name],
    ...study.students.map((s) => [s.system.id, s.system.name] as [string, string]),
  ]);
  return summarizeRankings({ screens, teacherId: study.teacherSystemId, names });
}
