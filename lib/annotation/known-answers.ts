import { prisma, type DbOrTx } from "@/lib/db";
import { isExpectedAnswer } from "./expected-answer";
import { StoredScoresSchema } from "./sides";

export type KnownAnswerScore = {
  goldAnswered: number;
  goldCorrect: number;
  attentionAnswered: number;
  attentionCorrect: number;
};

/** Known-answer results per annotator in one study (or of one annotator), gold and attention separately. */
export async function knownAnswerScores(
  studyId: string,
  userId: string | undefined,
  db: DbOrTx,
): Promise<Map<string, KnownAnswerScore>> {
  const rows = await db.rating.findMany({
    where: { studyId, ...(userId ? { annotatorId: userId } : {}), pair: { kind: { in: ["GOLD", "ATTENTION"] } } },
    select: {
      annotatorId: true,
      scores: true,
      preference: true,
      teacherOnLeft: true,
      pair: { select: { kind: true, expected: true } },
    },
  });
  const byAnnotator = new Map<string, KnownAnswerScore>();
  for (const r of rows) {
    let out = byAnnotator.get(r.annotatorId);
    if (!out)
      byAnnotator.set(
        r.annotatorId,
        (out = { goldAnswered: 0, goldCorrect: 0, attentionAnswered: 0, attentionCorrect: 0 }),
      );
    const ok = isExpectedAnswer(r.pair.expected, {
      scores: StoredScoresSchema.parse(r.scores),
      preference: r.preference,
      teacherOnLeft: r.teacherOnLeft,
    });
    if (r.pair.kind === "GOLD") {
      out.goldAnswered++;
      if (ok) out.goldCorrect++;
    } else {
      out.attentionAnswered++;
      if (ok) out.attentionCorrect++;
    }
  }
  return byAnnotator;
}

export const NO_KNOWN_ANSWERS: KnownAnswerScore = {
  goldAnswered: 0,
  goldCorrect: 0,
  attentionAnswered: 0,
  attentionCorrect: 0,
};

/** Known-answer results of one annotator in one study (gold and attention separately). */
export async function knownAnswerScore(
  studyId: string,
  userId: string,
  db: DbOrTx = prisma,
): Promise<KnownAnswerScore> {
  return (await knownAnswerScores(studyId, userId, db)).get(userId) ?? { ...NO_KNOWN_ANSWERS };
}
