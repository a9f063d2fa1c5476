import { prisma, type DbOrTx } from "@/lib/db";
import { myCounts, openItemCount } from "./queries";
import type { Progress } from "./schemas";

/** Below this many open items the count is cheap and the end of the study near: always counted afresh. */
const EXACT_BELOW = 50;
/** How long a large count of open items is reused for one annotator. */
const REUSE_MS = 60_000;
const MAX_ENTRIES = 50_000;

// studyId:userId -> the total (done + held + open) and open items counted last, and when. Only the progress label ("Item n of m")
// reads it; no claim, cap or rule does, so a stale entry changes a number on screen, never who
// gets what.
const counted = new Map<string, { total: number; open: number; at: number }>();

/**
 * n of m: items submitted, and what this annotator can still get, up to the cap. Their own counts
 * are read every time (cheap: their own assignments). The open items cost a walk over the study's
 * open pairs, which grows with the study, so while EXACT_BELOW or more were open, m is reused for
 * REUSE_MS: it is done + held + open, which their own claims and submits leave unchanged (an item
 * moves from open to held to done) and which changes only as others take the last pairs of
 * items. Counted afresh whenever it may be small, and when `fresh` is asked (the task page's
 * first load, the "done" answer).
 */
export async function progressOf(
  args: {
    studyId: string;
    userId: string;
    k: number;
    cap: number | null;
    fresh?: boolean;
    /** Their own counts when the caller read them already (the claim statement does). */
    counts?: { done: number; active: number };
  },
  db: DbOrTx = prisma,
): Promise<Progress> {
  const { done, active } = args.counts ?? (await myCounts(args, db));
  const room = args.cap === null ? null : Math.max(0, args.cap - done - active);
  const key = `${args.studyId}:${args.userId}`;
  const kept = counted.get(key);
  let total: number;
  if (!args.fresh && kept && Date.now() - kept.at < REUSE_MS && kept.open >= EXACT_BELOW)
    total = Math.max(kept.total, done + active);
  else {
    const open = await openItemCount({ studyId: args.studyId, userId: args.userId, k: args.k, room }, db);
    total = done + active + open;
    if (counted.size >= MAX_ENTRIES) counted.clear();
    counted.set(key, { total, open, at: Date.now() });
  }
  return { done, total: args.cap === null ? total : Math.min(total, args.cap) };
}
