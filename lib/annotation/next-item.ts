import { z } from "zod";
import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { hotQuery, prisma, type Db, type DbOrTx } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { NotFoundError } from "@/lib/errors";
import {
  claimingNow,
  claimOrResumeQuery,
  expireLeases,
  expiryCtes,
  hasOpenPair,
  retrying,
  type ClaimRow,
} from "./claim-sql";
import { getNextScreen, screenProgressOf } from "./next-screen";
import { progressOf } from "./progress";
import {
  type ItemRow,
  itemViewOf,
  loadItemView,
  participationOf,
  participationSql,
  type Participation,
  type ParticipationRow,
} from "./queries";
import { StudyRefInput, type NextResult } from "./schemas";

const CLAIM_ATTEMPTS = 5;
/** Runs of the claim statement in a row that found the person's row changed since its snapshot. */
const FRESH_ATTEMPTS = 8;

/**
 * This person's place in the study (findParticipation) and, when they are about to claim (a live
 * study, not paused, instructions acknowledged), the study's lapsed leases given back, in one
 * statement: a lease that ran out frees its slot (and its holder) before the claim.
 */
async function participationExpiring(studyId: string, userId: string, db: DbOrTx) {
  const rows = await hotQuery<ParticipationRow>(
    db,
    Prisma.sql`/* prepared */
    WITH part AS (${participationSql(studyId, userId)}),
    ${expiryCtes(studyId, claimingNow)}
    SELECT * FROM part`,
  );
  return participationOf(rows[0]);
}

/**
 * The claim statement (claim-sql.ts), run again while it finds that another claim of this person
 * committed after its snapshot was taken (it then claims nothing): the next run sees that claim
 * and resumes its item instead of opening a second one.
 */
async function claimOrResume(args: { studyId: string; userId: string }, db: DbOrTx): Promise<ClaimRow | undefined> {
  for (let i = 1; ; i++) {
    const [row] = await retrying(() => claimOrResumeQuery(args, db));
    if (!row || row.isFresh || i >= FRESH_ATTEMPTS) return row;
  }
}

/**
 * The annotator's current item: the one they left unfinished (its lease renewed), else a newly
 * claimed one, else why there is none. Two statements in all when an item is handed out: the
 * participation (with lease expiry) and the claim, which also returns the item's texts and the
 * person's counts. `read`: the participation (and lease expiry) a statement of this request
 * already read and did, this very study's (submitRatingThenClaim).
 */
export async function getNextItem(
  actor: Actor | null,
  input: z.input<typeof StudyRefInput>,
  db: Db = prisma,
  read?: Participation | null,
): Promise<NextResult> {
  requirePermission(actor, "annotation:work");
  const { studyId } = StudyRefInput.parse(input);
  const part = read ?? (await retrying(() => participationExpiring(studyId, actor.id, db)));
  if (!part || part.study.status === "DRAFT") throw new NotFoundError("No such study");
  const who = { studyId, userId: actor.id, k: part.study.annotatorsPerPair, cap: part.study.maxPairsPerAnnotator };
  const isRanking = part.study.design === "RANKING";
  const progress = () => (isRanking ? screenProgressOf(who, db) : progressOf({ ...who, fresh: true }, db));
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

  // A RANKING study hands out all pairs of a source on one screen (next-screen.ts).
  if (isRanking) return getNextScreen(who, db);
  let row: ClaimRow | undefined;
  for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
    if (attempt > 0) {
      await new Promise((r) => setTimeout(r, 25 + Math.random() * 75));
      // A lease may have run out since the expiry above (its holder's item still counts as open).
      await retrying(() => expireLeases(studyId, db));
    }
    row = await claimOrResume({ studyId, userId: actor.id }, db);
    if (row?.id) break;
    // SKIP LOCKED passes over pairs other annotators are claiming this very moment; only when
    // no open pair is left at all is there really nothing to do.
    if (!(await hasOpenPair({ studyId, userId: actor.id, k: part.study.annotatorsPerPair }, db))) break;
  }
  if (!row?.id) {
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
  // With an item id the statement's joins found every text (non-null columns).
  const item = itemViewOf(row as ItemRow);
  // A large count of open items may be reused here (progress.ts); their own counts came with the claim.
  return {
    state: "item",
    item,
    progress: await progressOf({ ...who, fresh: false, counts: { done: row.done, active: row.active } }, db),
  };
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
