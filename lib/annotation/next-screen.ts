import { prisma, type Db, type DbOrTx } from "@/lib/db";
import { claimItemGroup } from "./claim-item-group";
import type { NextResult, Progress, ScreenView } from "./schemas";

const CLAIM_ATTEMPTS = 5;
const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** The label of the text shown at place i: "Text A", "Text B", ... */
export const textLabel = (i: number) => `Text ${LETTERS[i] ?? i + 1}`;

/**
 * getNextItem for a RANKING study (the checks of who may rate are done by the caller): the
 * person's open screen, else a newly claimed one (claimItemGroup), else why there is none.
 */
export async function getNextScreen(
  args: { studyId: string; userId: string; k: number; cap: number | null },
  db: Db = prisma,
): Promise<NextResult> {
  let screenId: string | null = null;
  for (let attempt = 0; !screenId && attempt < CLAIM_ATTEMPTS; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, 25 + Math.random() * 75));
    const claim = await claimItemGroup({ studyId: args.studyId, userId: args.userId }, db);
    screenId = claim.screenId;
    // The claim passes over sources others are claiming this moment; stop only when none is open.
    if (!screenId && !claim.isContended) break;
  }
  const progress = await screenProgressOf(args, db);
  if (!screenId) {
    const capped = args.cap !== null && progress.total === progress.done;
    return {
      state: "done",
      message:
        capped && progress.done > 0
          ? "You have rated as many items as this study asks of one person. Thank you!"
          : "There is nothing left for you to rate in this study right now. Thank you!",
      progress,
    };
  }
  const screen = await loadScreenView(screenId, db);
  return { state: "screen", screen, progress };
}

/** The texts of one screen, in its stored order, labelled by place only. */
export async function loadScreenView(screenId: string, db: DbOrTx = prisma): Promise<ScreenView> {
  const s = await db.rankingScreen.findUniqueOrThrow({
    where: { id: screenId },
    select: {
      shownOrder: true,
      item: { select: { source: true } },
      assignments: {
        select: {
          pairId: true,
          pair: { select: { teacherOutput: { select: { text: true } }, studentOutput: { select: { text: true } } } },
        },
      },
    },
  });
  const order = s.shownOrder as (string | null)[];
  const byPair = new Map(s.assignments.map((a) => [a.pairId, a.pair]));
  const teacher = s.assignments[0].pair.teacherOutput.text;
  return {
    screenId,
    source: s.item.source,
    texts: order.map((pairId, i) => ({
      label: textLabel(i),
      text: pairId === null ? teacher : (byPair.get(pairId)?.studentOutput.text ?? ""),
    })),
  };
}

/**
 * n of m in screens: screens submitted, and what this person can still get: their open screen
 * and the sources still open to them, as many as the cap (which counts pairs) leaves room for.
 */
export async function screenProgressOf(
  args: { studyId: string; userId: string; k: number; cap: number | null },
  db: DbOrTx = prisma,
): Promise<Progress> {
  const [mine] = await db.$queryRaw<{ done: number; active: number; pairs: number }[]>`
    SELECT count(DISTINCT a."screenId") FILTER (WHERE a."status" = 'SUBMITTED')::int AS done,
           count(DISTINCT a."screenId") FILTER (WHERE a."status" = 'ACTIVE')::int AS active,
           count(*) FILTER (WHERE a."status" IN ('ACTIVE', 'SUBMITTED'))::int AS pairs
    FROM "Assignment" a JOIN "RankingScreen" r ON r."id" = a."screenId"
    WHERE a."annotatorId" = ${args.userId}::uuid AND r."studyId" = ${args.studyId}::uuid`;
  let room = args.cap === null ? Infinity : args.cap - mine.pairs;
  const open = await db.$queryRaw<{ n: number }[]>`
    WITH mine AS MATERIALIZED (
      SELECT DISTINCT p2."itemId" FROM "Assignment" a JOIN "Pair" p2 ON p2."id" = a."pairId"
      WHERE a."annotatorId" = ${args.userId}::uuid AND p2."studyId" = ${args.studyId}::uuid
    )
    SELECT count(*)::int AS n FROM "Pair" p
    WHERE p."studyId" = ${args.studyId}::uuid AND p."kind" = 'REGULAR' AND p."itemId" NOT IN (SELECT "itemId" FROM mine)
    GROUP BY p."itemId" HAVING max(p."takenCount") < ${args.k}
    LIMIT 10000`;
  let fits = 0;
  for (const o of open) {
    if (o.n > room) break;
    room -= o.n;
    fits++;
  }
  return { done: mine.done, total: mine.done + mine.active + fits };
}
