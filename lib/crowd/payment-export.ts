import { z } from "zod";
import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { prisma, type DbOrTx } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { knownAnswerScore } from "@/lib/annotation";
import { requireStudyAccess } from "@/lib/studies";

export const PaymentExportInput = z.object({
  studyId: z.uuid(),
  /** true: the platform ids, for paying people; false: pseudonyms, for sharing the data. */
  withPlatformIds: z.boolean().default(false),
});

const csvCell = (v: string | number) => {
  const s = String(v);
  // A leading = + - @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/**
 * One row per external participant: platform id (or pseudonym), where they ended, items rated,
 * active time, checks passed, and flags. Researchers only; the platform ids leave the app only
 * through this export when asked for.
 */
export async function exportPayments(
  actor: Actor | null,
  input: z.input<typeof PaymentExportInput>,
  db: DbOrTx = prisma,
) {
  requirePermission(actor, "results:export");
  const { studyId, withPlatformIds } = PaymentExportInput.parse(input);
  await requireStudyAccess(actor, studyId, "read", db); // platform ids only to the study's own people
  const study = await db.study.findUnique({ where: { id: studyId }, select: { id: true } });
  if (!study) throw new NotFoundError("No such study");
  const people = await db.crowdParticipant.findMany({
    where: { studyId },
    orderBy: { createdAt: "asc" },
    select: {
      platform: true,
      platformId: true,
      stage: true,
      checkFailures: true,
      createdAt: true,
      finishedAt: true,
      userId: true,
      user: { select: { pseudonym: true } },
    },
  });
  const sums = await db.rating.groupBy({
    by: ["annotatorId"],
    where: { studyId, annotatorId: { in: people.map((p) => p.userId) } },
    _count: true,
    _sum: { activeMs: true },
  });
  const flags = await db.assignment.groupBy({
    by: ["annotatorId"],
    where: { pair: { studyId }, status: "FLAGGED", annotatorId: { in: people.map((p) => p.userId) } },
    _count: true,
  });
  const header = [
    "platform",
    withPlatformIds ? "platform_id" : "participant",
    "status",
    "items_rated",
    "active_minutes",
    "comprehension_failures",
    "attention_passed",
    "attention_answered",
    "gold_passed",
    "gold_answered",
    "items_flagged",
    "started_at",
    "finished_at",
  ];
  const rows = [header.join(",")];
  for (const p of people) {
    const s = sums.find((x) => x.annotatorId === p.userId);
    const q = await knownAnswerScore(studyId, p.userId, db);
    rows.push(
      [
        p.platform,
        withPlatformIds ? p.platformId : p.user.pseudonym,
        p.stage.toLowerCase(),
        s?._count ?? 0,
        ((s?._sum.activeMs ?? 0) / 60_000).toFixed(1),
        p.checkFailures,
        q.attentionCorrect,
        q.attentionAnswered,
        q.goldCorrect,
        q.goldAnswered,
        flags.find((f) => f.annotatorId === p.userId)?._count ?? 0,
        p.createdAt.toISOString(),
        p.finishedAt?.toISOString() ?? "",
      ]
        .map(csvCell)
        .join(","),
    );
  }
  return { filename: `payments-${studyId}${withPlatformIds ? "" : "-pseudonymised"}.csv`, csv: rows.join("\n") + "\n" };
}
