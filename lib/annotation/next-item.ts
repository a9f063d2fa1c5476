import { z } from "zod";
import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { prisma, type Db, type DbOrTx } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { claimNextPairQuery, expireLeases, expireLeasesQuery, hasOpenPair, isRetryable } from "./claim-sql";
import { getNextScreen, screenProgressOf } from "./next-screen";
import { progressOf } from "./progress";
import { findParticipation, loadItemView } from "./queries";
import { StudyRefInput, type NextResult } from "./schemas";

async function retrying<T>(fn: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      // A deadlock between a claim and a lease expiry aborts one of them; running it again is safe.
      if (i >= attempts || !isRetryable(err)) throw err;
    }
  }
}

const CLAIM_ATTEMPTS = 5;

/**
 * The person's open item, else a newly claimed one, with their other claims (another tab, a
 * double click) shut out: the row lock waits for such a claim to commit, and in READ COMMITTED
 * each later statement of the transaction reads a snapshot taken after it, so it resumes the item
 * that claim opened instead of opening a second one (the claim refuses while one is ACTIVE), and
 * never offers that item again through another of its pairs. Expired leases are given back first,
 * in the same batch, so a lease that ran out frees its slot (and its holder) before the claim.
 * A batch, not an interactive transaction: no round trip to the app between the statements,
 * which matters because each round trip through the client costs more CPU than these statements.
 */
async function openOrClaim(args: { studyId: string; userId: string; leaseMinutes: number }, db: Db) {
  const [, , open, claimed] = await db.$transaction([
    expireLeasesQuery(args.studyId, db),
    db.$queryRaw`SELECT 1 FROM "StudyParticipant"
      WHERE "studyId" = ${args.studyId}::uuid AND "userId" = ${args.userId}::uuid FOR UPDATE`,
    activeAssignmentQuery(args.studyId, args.userId, args.leaseMinutes, db),
    claimNextPairQuery({ studyId: args.studyId, userId: args.userId }, db),
  ]);
  return open[0]?.id ?? claimed[0]?.id ?? null;
}

/**
 * The annotator's unexpired item, its lease renewed, in one statement on the database's clock
 * (as expireLeases and renewLease use): a read then a write could renew a lease that an expiry
 * had just ended, and the app server's clock need not agree with the database's.
 */
function activeAssignmentQuery(studyId: string, userId: string, leaseMinutes: number, db: DbOrTx) {
  return db.$queryRaw<{ id: string }[]>`
    UPDATE "Assignment" a SET "leaseExpiresAt" = now() + make_interval(mins => ${leaseMinutes}::int)
    WHERE a."id" = (
      SELECT a2."id" FROM "Assignment" a2 JOIN "Pair" p ON p."id" = a2."pairId"
      WHERE a2."annotatorId" = ${userId}::uuid AND a2."status" = 'ACTIVE' AND a2."leaseExpiresAt" > now() AND p."studyId" = ${studyId}::uuid
      ORDER BY a2."claimedAt" ASC LIMIT 1
    ) AND a."status" = 'ACTIVE'
    RETURNING a."id"::text AS "id"`;
}

/**
 * The annotator's current item: the one they left unfinished (its lease renewed), else a newly
 * claimed one (claimNextPair, one atomic statement), else why there is none.
 */
export async function getNextItem(
  actor: Actor | null,
  input: z.input<typeof StudyRefInput>,
  db: Db = prisma,
): Promise<NextResult> {
  requirePermission(actor, "annotation:work");
  const { studyId } = StudyRefInput.parse(input);
  const part = await findParticipation(studyId, actor.id, db);
  if (!part || part.study.status === "DRAFT") throw new NotFoundError("No such study");
  const who = { studyId, userId: actor.id, k: part.study.annotatorsPerPair, cap: part.study.maxPairsPerAnnotator };
  const isRanking = part.study.design === "RANKING";
  // Counted afresh except with an item, where a large count of open items may be reused (progress.ts).
  const progress = (fresh = true) => (isRanking ? screenProgressOf(who, db) : progressOf({ ...who, fresh }, db));
  if (part.study.status === "CLOSED")
    return { state: "closed", message: "This study has closed. Thank you for your work.", progress: await progress() };
  if (part.study.status === "PAUSED")
    return {
      state: "study-paused",
      message: "The researchers have paused this study for now. Please come back later.",
      progress: await progress(),
    };
  if (part.isPaused)
    return {
      state: "paused",
      message: "Your work on this study is paused. A researcher will contact you.",
      progress: await progress(),
    };
  if (!part.hasAcknowledgedLatest) return { state: "instructions", progress: await progress() };

  if (isRanking) {
    // A RANKING study hands out all pairs of a source on one screen (next-screen.ts).
    await retrying(() => expireLeases(studyId, db));
    return getNextScreen(who, db);
  }
  const me = { studyId, userId: actor.id, leaseMinutes: part.study.leaseMinutes };
  let id: string | null = null;
  for (let attempt = 0; !id && attempt < CLAIM_ATTEMPTS; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, 25 + Math.random() * 75));
    id = await retrying(() => openOrClaim(me, db));
    // SKIP LOCKED passes over pairs other annotators are claiming this very moment; only when
    // no open pair is left at all is there really nothing to do.
    if (!id && !(await hasOpenPair({ studyId, userId: actor.id, k: part.study.annotatorsPerPair }, db))) break;
  }
  if (!id) {
    const p = await progress();
    const capped = part.study.maxPairsPerAnnotator !== null && p.done >= part.study.maxPairsPerAnnotator;
    return {
      state: "done",
      message: capped
        ? "You have rated as many items as this study asks of one person. Thank you!"
        : "There is nothing left for you to rate in this study right now. Thank you!",
      progress: p,
    };
  }
  const item = await loadItemView(id, db);
  if (!item) throw new NotFoundError("No such item");
  return { state: "item", item, progress: await progress(false) };
}

/** A previous item of this annotator, with their rating, so they can revise it. */
export async function getMyAssignment(actor: Actor | null, input: { assignmentId: string }, db: DbOrTx = prisma) {
  requirePermission(actor, "annotation:work");
  const id = z.uuid().parse(input.assignmentId);
  const a = await db.assignment.findUnique({ where: { id }, select: { annotatorId: true, status: true } });
  if (!a || a.annotatorId !== actor.id || (a.status !== "SUBMITTED" && a.status !== "ACTIVE"))
    throw new NotFoundError("No such item");
  const item = await loadItemView(id, db);
  if (!item) throw new NotFoundError("No such item");
  return item;
}
