/**
 * Simulated ratings for the demo study, so every results chart shows on first start. They are
 * marked isSimulated (kept apart from real ratings everywhere, labelled SIMULATED on the page and
 * in exports) and made by three inactive "simulated annotator" accounts that cannot sign in, not
 * by the demo annotators: a simulated assignment would take a pair away from a real person (one
 * assignment per pair and person), and the demo annotators must still be able to rate every pair.
 * The simulated assignments leave the claim counters (Pair.takenCount, claimedCount) alone for
 * the same reason. Idempotent: only missing assignments and ratings are added, real rows are
 * never read or written.
 */
import type { Db } from "@/lib/db";
import { createRng } from "@/lib/stats";
import { blindScores, ExpectedAnswerSchema, preferenceFor } from "@/lib/annotation/schemas";

export const SIMULATED_ANNOTATORS = [1, 2, 3].map((n) => ({
  email: `simulated-annotator-${n}@example.invalid`,
  name: `Simulated annotator ${n}`,
  pseudonym: `simulated-${n}`,
}));

/** Mean rating (1-5) of the teacher and of a student per criterion: the student a little below on meaning and fluency. */
const PROFILE: Record<string, { teacher: number; student: number }> = {
  meaning: { teacher: 4.4, student: 4.1 },
  fluency: { teacher: 4.6, student: 4.3 },
  lexical_diversity: { teacher: 3.3, student: 3.2 },
  syntactic_diversity: { teacher: 2.9, student: 2.9 },
};
const ANNOTATOR_BIAS = [-0.3, 0.1, 0.25];

const clampScore = (x: number) => Math.max(1, Math.min(5, Math.round(x)));

export async function seedDemoRatings(
  db: Db,
  studyId: string,
): Promise<{ created: number; annotators: number; reason?: string }> {
  const study = await db.study.findUnique({
    where: { id: studyId },
    select: {
      pairs: {
        select: { id: true, kind: true, expected: true, studentSystemId: true },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      },
      instructions: { select: { id: true, criteria: true }, orderBy: { version: "desc" }, take: 1 },
      students: { select: { systemId: true }, orderBy: { systemId: "asc" } },
    },
  });
  if (!study) return { created: 0, annotators: 0, reason: "no such study" };
  const instructions = study.instructions[0];
  if (!instructions || !study.pairs.length)
    return { created: 0, annotators: 0, reason: "the study has no pairs or instructions yet (launch it first)" };
  const criteria = (Array.isArray(instructions.criteria) ? (instructions.criteria as { key?: unknown }[]) : [])
    .map((c) => c.key)
    .filter((k): k is string => typeof k === "string");

  const annotators: string[] = [];
  for (const a of SIMULATED_ANNOTATORS) {
    const user = await db.user.upsert({
      where: { email: a.email },
      create: { ...a, role: "ANNOTATOR", isActive: false, passwordHash: null },
      update: {},
      select: { id: true },
    });
    annotators.push(user.id);
  }
  const now = new Date();
  await db.assignment.createMany({
    data: study.pairs.flatMap((p, i) =>
      annotators.map((annotatorId, a) => ({
        pairId: p.id,
        annotatorId,
        status: "SUBMITTED" as const,
        teacherOnLeft: createRng(i * 7919 + a).next() < 0.5,
        leaseExpiresAt: now,
        finishedAt: now,
      })),
    ),
    skipDuplicates: true,
  });
  const assignments = await db.assignment.findMany({
    where: { pairId: { in: study.pairs.map((p) => p.id) }, annotatorId: { in: annotators }, rating: null },
    select: { id: true, pairId: true, annotatorId: true, teacherOnLeft: true },
  });
  const pairIndex = new Map(study.pairs.map((p, i) => [p.id, i]));
  const studentRank = new Map(study.students.map((s, i) => [s.systemId, i]));
  const ratings = assignments.map((as) => {
    const i = pairIndex.get(as.pairId)!;
    const pair = study.pairs[i];
    const a = annotators.indexOf(as.annotatorId);
    const rng = createRng(1_000_003 * (i + 1) + a);
    const itemEffect = createRng(i).nextNormal() * 0.4;
    const studentOffset = -0.1 * (studentRank.get(pair.studentSystemId) ?? 0);
    const teacher: Record<string, number> = {};
    const student: Record<string, number> = {};
    for (const c of criteria) {
      const p = PROFILE[c] ?? { teacher: 3.5, student: 3.4 };
      teacher[c] = clampScore(p.teacher + itemEffect + ANNOTATOR_BIAS[a] + rng.nextNormal() * 0.6);
      student[c] = clampScore(p.student + studentOffset + itemEffect + ANNOTATOR_BIAS[a] + rng.nextNormal() * 0.6);
    }
    const utility = (s: Record<string, number>) =>
      2 * (s.meaning ?? 0) + (s.fluency ?? 0) + 0.3 * ((s.lexical_diversity ?? 0) + (s.syntactic_diversity ?? 0));
    const margin = utility(teacher) - utility(student) + rng.nextNormal() * 0.8;
    let preferTeacher: boolean | null = margin > 0.7 ? true : margin < -0.7 ? false : null;
    // Known-answer pairs: a careful simulated annotator gives the expected answer 9 times in 10.
    const expected = pair.kind === "REGULAR" ? null : ExpectedAnswerSchema.safeParse(pair.expected);
    if (expected?.success && rng.next() < 0.9) {
      for (const [key, range] of Object.entries(expected.data.scores)) student[key] = range.min;
      if (expected.data.preference) preferTeacher = expected.data.preference === "TEACHER";
    }
    const scores = blindScores(
      Object.fromEntries(criteria.map((c) => [c, { teacher: teacher[c], student: student[c] }])),
      as.teacherOnLeft,
    );
    const preference = preferenceFor(
      preferTeacher === null ? null : preferTeacher ? "teacher" : "student",
      as.teacherOnLeft,
    );
    return {
      assignmentId: as.id,
      studyId,
      pairId: as.pairId,
      annotatorId: as.annotatorId,
      instructionsVersionId: instructions.id,
      teacherOnLeft: as.teacherOnLeft,
      scores,
      preference,
      activeMs: Math.round(Math.exp(Math.log(18_000) + rng.nextNormal() * 0.4)),
      isSimulated: true,
    };
  });
  const created = await db.rating.createMany({ data: ratings, skipDuplicates: true });
  return { created: created.count, annotators: annotators.length };
}
