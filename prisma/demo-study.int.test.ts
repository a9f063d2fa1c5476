import { afterAll, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { normaliseSettings } from "@/lib/generation";
import {
  DEMO_STUDENT_SETTINGS,
  DEMO_STUDY,
  DEMO_STUDENT,
  DEMO_TEACHER,
  generateStudentOutputs,
  seedDemoStudy,
} from "./demo-study";
import { DEMO_EVAL_SET, seed } from "./seed";

const settings = { strategy: "greedy", maxNewTokens: 33 }; // a key no real run uses
let createdStudyId: string | null = null;

// Removes only what this test made: its study and its student outputs. The demo teacher and its
// outputs stay, like the demo users and eval set that seed() leaves in place.
afterAll(async () => {
  if (createdStudyId) {
    await prisma.rating.deleteMany({ where: { studyId: createdStudyId } });
    await prisma.study.delete({ where: { id: createdStudyId } });
  }
  await prisma.output.deleteMany({
    where: {
      system: { name: DEMO_STUDENT },
      settingsKey: normaliseSettings("ONNX_MODEL", settings).settingsKey,
      pairsAsStudent: { none: {} },
    },
  });
});

it("seeds a live demo study with the teacher's outputs, the student's and both demo annotators, once", async () => {
  await seed();
  const items = await prisma.evalItem.findMany({
    where: { evalSet: { name: DEMO_EVAL_SET } },
    select: { externalId: true, source: true },
  });
  const studentOutputs = {
    settings,
    items: items.map((i) => ({ externalId: i.externalId, texts: [`(test) ${i.source}`] })),
  };

  const first = await seedDemoStudy(prisma, { studentOutputs });
  if (first.studyCreated) createdStudyId = first.studyId;
  const study = await prisma.study.findUniqueOrThrow({
    where: { name: DEMO_STUDY },
    select: {
      id: true,
      status: true,
      isDemo: true,
      annotatorsPerPair: true,
      teacherSystem: {
        select: {
          name: true,
          kind: true,
          role: true,
          outputs: { select: { id: true }, where: { item: { evalSet: { name: DEMO_EVAL_SET } } } },
        },
      },
      students: { select: { system: { select: { name: true, role: true } } } },
      participants: { select: { user: { select: { email: true } } } },
      _count: { select: { pairs: true } },
    },
  });
  expect(study).toMatchObject({
    id: first.studyId,
    status: "LIVE",
    isDemo: true,
    annotatorsPerPair: 2,
    teacherSystem: { name: DEMO_TEACHER, kind: "EXTERNAL", role: "TEACHER" },
  });
  expect(study.teacherSystem.outputs.length).toBeGreaterThanOrEqual(40);
  expect(study.students).toEqual([{ system: { name: DEMO_STUDENT, role: "STUDENT" } }]);
  expect(study.participants.map((p) => p.user.email).sort()).toEqual([
    "annotator1@example.com",
    "annotator2@example.com",
  ]);
  expect(study._count.pairs).toBeGreaterThanOrEqual(40);

  const second = await seedDemoStudy(prisma, { studentOutputs });
  expect(second).toMatchObject({
    studyCreated: false,
    studyId: study.id,
    teacherOutputsCreated: 0,
    studentOutputsCreated: 0,
  });
  expect(await prisma.study.count({ where: { name: DEMO_STUDY } })).toBe(1);
});

it("generates the student's outputs with the shipped model, when it is there", async () => {
  const out = await generateStudentOutputs([
    { externalId: "x1", source: "On Monday, the game was watched by the teacher." },
    { externalId: "x2", source: "The chef cooked the soup this morning." },
  ]);
  if (out === null) return expect(out).toBeNull(); // no models/paraphrase-student-tiny in this checkout
  expect(out.settings).toEqual(DEMO_STUDENT_SETTINGS);
  expect(out.items.map((i) => i.externalId)).toEqual(["x1", "x2"]);
  for (const i of out.items) {
    expect(i.texts).toHaveLength(1);
    expect(i.texts[0].length).toBeGreaterThan(5);
  }
}, 120_000);
