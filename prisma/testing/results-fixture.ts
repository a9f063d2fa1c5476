// Test data for results: a launched study built row by row (study creation and annotation use
// cases belong to other slices), with ratings whose values the tests know. Tests only.
import { prisma } from "@/lib/db";
import { blindScores, preferenceFor } from "@/lib/annotation/schemas";
import { DEFAULT_CRITERIA } from "@/lib/studies";
import { makeStudyFixture, type StudyFixture } from "./study-fixture";

export interface RatedStudy {
  fixture: StudyFixture;
  studyId: string;
  pairIds: string[];
  goldPairId: string;
  instructionsVersionId: string;
  /** Adds one rating per annotator and pair: teacher meaning `teacherScore`, student `studentScore`. */
  rate: (opts: {
    isSimulated: boolean;
    annotators?: number;
    teacherScore?: number;
    studentScore?: number;
    /** The student's meaning score in the pair at this index (overrides studentScore), for data with spread. */
    studentScoreOf?: (pairIndex: number) => number;
    preference?: "TEACHER" | "STUDENT" | "TIE";
    source?: string;
  }) => Promise<number>;
  remove: () => Promise<void>;
}

export async function makeRatedStudy(opts: { items?: number; annotators?: number } = {}): Promise<RatedStudy> {
  const fixture = await makeStudyFixture({ items: opts.items ?? 8, students: 1, annotators: opts.annotators ?? 3 });
  const student = fixture.students[0];
  await prisma.system.update({
    where: { id: student.id },
    data: { parameterCount: 700_000n, sizeOnDiskBytes: 2_800_000n },
  });
  const outputs = await prisma.output.findMany({
    where: { id: { in: fixture.outputIds } },
    select: { id: true, itemId: true, systemId: true, rank: true },
    orderBy: { id: "asc" },
  });
  for (const o of outputs) {
    await prisma.output.update({
      where: { id: o.id },
      data: { latencyMs: o.systemId === fixture.teacher.id ? 500 : 10, completionTokens: 12 },
    });
  }
  const items = await prisma.evalItem.findMany({
    where: { evalSetId: fixture.evalSetId },
    select: { id: true, source: true },
    orderBy: { position: "asc" },
  });
  const first = (itemId: string, systemId: string) =>
    outputs.find((o) => o.itemId === itemId && o.systemId === systemId && o.rank === 0)!.id;
  const study = await prisma.study.create({
    data: {
      name: `${fixture.tag} results`,
      // The fixture's researcher owns the study, as when they create it in the app.
      createdById: fixture.researcher.id,
      evalSetId: fixture.evalSetId,
      teacherSystemId: fixture.teacher.id,
      teacherSettingsKey: fixture.teacher.settingsKey,
      annotatorsPerPair: fixture.annotators.length,
      status: "LIVE",
      students: { create: [{ systemId: student.id, settingsKey: student.settingsKey }] },
      participants: { create: fixture.annotators.map((a) => ({ userId: a.id })) },
      instructions: { create: { version: 1, markdown: "Rate.", criteria: DEFAULT_CRITERIA } },
    },
    select: { id: true, instructions: { select: { id: true } } },
  });
  const pairs: { id: string }[] = [];
  for (const item of items) {
    pairs.push(
      await prisma.pair.create({
        data: {
          studyId: study.id,
          itemId: item.id,
          teacherOutputId: first(item.id, fixture.teacher.id),
          studentOutputId: first(item.id, student.id),
          studentSystemId: student.id,
        },
        select: { id: true },
      }),
    );
  }
  const gold = await prisma.pair.create({
    data: {
      studyId: study.id,
      itemId: items[0].id,
      kind: "GOLD",
      teacherOutputId: first(items[0].id, fixture.teacher.id),
      studentOutputId: first(items[0].id, student.id),
      studentSystemId: student.id,
      shownText: items[0].source,
      expected: { scores: { lexical_diversity: { min: 1, max: 1 } } },
    },
    select: { id: true },
  });
  const ivId = study.instructions[0].id;
  const rate: RatedStudy["rate"] = async ({
    isSimulated,
    annotators = fixture.annotators.length,
    teacherScore = 5,
    studentScore = 4,
    studentScoreOf,
    preference = "TEACHER",
  }) => {
    let n = 0;
    for (const [p, pair] of pairs.entries()) {
      for (const annotator of fixture.annotators.slice(0, annotators)) {
        const teacherOnLeft = (p + n) % 2 === 0;
        const assignment = await prisma.assignment.create({
          data: {
            pairId: pair.id,
            annotatorId: annotator.id,
            status: "SUBMITTED",
            teacherOnLeft,
            leaseExpiresAt: new Date(),
          },
          select: { id: true },
        });
        const t = { meaning: teacherScore, fluency: 5, lexical_diversity: 3, syntactic_diversity: 3 };
        const s = {
          meaning: studentScoreOf ? studentScoreOf(p) : studentScore,
          fluency: 4,
          lexical_diversity: 3,
          syntactic_diversity: 3,
        };
        const scores = blindScores(
          Object.fromEntries(
            Object.keys(t).map((k) => [k, { teacher: t[k as keyof typeof t], student: s[k as keyof typeof s] }]),
          ),
          teacherOnLeft,
        );
        const pref = preferenceFor(
          preference === "TIE" ? null : preference === "TEACHER" ? "teacher" : "student",
          teacherOnLeft,
        );
        await prisma.rating.create({
          data: {
            assignmentId: assignment.id,
            studyId: study.id,
            pairId: pair.id,
            annotatorId: annotator.id,
            instructionsVersionId: ivId,
            teacherOnLeft,
            scores,
            preference: pref,
            activeMs: 10_000 + n,
            isSimulated,
          },
        });
        n++;
      }
    }
    return n;
  };
  return {
    fixture,
    studyId: study.id,
    pairIds: pairs.map((p) => p.id),
    goldPairId: gold.id,
    instructionsVersionId: ivId,
    rate,
    remove: fixture.remove,
  };
}

/** A rating of the gold pair: lexical diversity of the student side (the verbatim copy) given as `studentLexical`. */
export async function rateGold(s: RatedStudy, annotatorIndex: number, studentLexical: number) {
  const annotator = s.fixture.annotators[annotatorIndex];
  const assignment = await prisma.assignment.create({
    data: {
      pairId: s.goldPairId,
      annotatorId: annotator.id,
      status: "SUBMITTED",
      teacherOnLeft: true,
      leaseExpiresAt: new Date(),
    },
    select: { id: true },
  });
  const scores = {
    meaning: { left: 5, right: 5 },
    fluency: { left: 5, right: 5 },
    lexical_diversity: { left: 3, right: studentLexical },
    syntactic_diversity: { left: 3, right: 1 },
  };
  await prisma.rating.create({
    data: {
      assignmentId: assignment.id,
      studyId: s.studyId,
      pairId: s.goldPairId,
      annotatorId: annotator.id,
      instructionsVersionId: s.instructionsVersionId,
      teacherOnLeft: true,
      scores,
      preference: "LEFT",
      activeMs: 5000,
    },
  });
}
