import { afterAll, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { normaliseSettings } from "@/lib/generation";
import { DEMO_STUDY, DEMO_STUDENT, DEMO_TEACHER, seedDemoStudy } from "./demo-study";
import { DEMO_EVAL_SET, seed } from "./seed";

const settings = { strategy: "greedy", maxNewTokens: 33 }; // a key no real run uses, so cleanup removes only this test's outputs

afterAll(async () => {
  const study = await prisma.study.findUnique({ where: { name: DEMO_STUDY }, select: { id: true } });
  if (study) {
    await prisma.rating.deleteMany({ where: { studyId: study.id } });
    await prisma.study.delete({ where: { id: study.id } });
  }
  await prisma.output.deleteMany({ where: { system: { name: DEMO_STUDENT }, settingsKey: normaliseSettings("ONNX_MODEL", settings).settingsKey } });
  await prisma.output.deleteMany({ where: { system: { name: { in: [DEMO_TEACHER] } } } });
  await prisma.system.deleteMany({ where: { name: DEMO_TEACHER } });
});

it("seeds a live demo study with the teacher's outputs, the given student outputs and both demo annotators, once", async () => {
  await seed();
  const items = await prisma.evalItem.findMany({ where: { evalSet: { name: DEMO_EVAL_SET } }, select: { externalId: true, source: true } });
  const studentOutputs = { settings, items: items.map((i) => ({ externalId: i.externalId, texts: [`(test) ${i.source}`] })) };

  const first = await seedDemoStudy(prisma, { studentOutputs });
  expect(first).toMatchObject({ studyCreated: true, teacherOutputsCreated: expect.any(Number), studentOutputsCreated: 40 });
  expect(first.teacherOutputsCreated).toBeGreaterThanOrEqual(40);
  const study = await prisma.study.findUniqueOrThrow({
    where: { name: DEMO_STUDY },
    select: { id: true, status: true, isDemo: true, teacherSystem: { select: { name: true, kind: true, role: true } }, participants: { select: { user: { select: { email: true } } } }, _count: { select: { pairs: true } } },
  });
  expect(study).toMatchObject({ status: "LIVE", isDemo: true, teacherSystem: { name: DEMO_TEACHER, kind: "EXTERNAL", role: "TEACHER" } });
  expect(study.participants.map((p) => p.user.email).sort()).toEqual(["annotator1@example.com", "annotator2@example.com"]);
  expect(study._count.pairs).toBeGreaterThanOrEqual(40);

  const second = await seedDemoStudy(prisma, { studentOutputs });
  expect(second).toMatchObject({ studyCreated: false, studyId: study.id, teacherOutputsCreated: 0 });
  expect(await prisma.study.count({ where: { name: DEMO_STUDY } })).toBe(1);
});
