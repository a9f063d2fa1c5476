import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import {
  DEFAULT_CRITERIA,
  DEFAULT_INSTRUCTIONS,
  createStudy,
  editInstructions,
  getStudy,
  getStudyMonitor,
  launchStudy,
  listAnnotatorChoices,
  listStudyOptions,
  previewStudy,
  setParticipants,
  setStudyStatus,
  updateStudySettings,
} from "@/lib/studies";
import { makeStudyFixture, studyInput, type StudyFixture } from "@/prisma/testing/study-fixture";

let f: StudyFixture;
beforeAll(async () => {
  // 9 idle participants: enough annotators for the designs below to be completable at launch.
  f = await makeStudyFixture({ items: 10, students: 2, annotators: 3, idle: 9 });
});
afterAll(async () => f?.remove());

describe("createStudy", () => {
  it("creates a draft with the default instructions as version 1", async () => {
    const { id } = await createStudy(
      f.researcher,
      studyInput(f, { name: `${f.tag} draft`, participantIds: f.annotators.map((a) => a.id) }),
    );
    const s = await getStudy(f.researcher, { studyId: id });
    expect(s.status).toBe("DRAFT");
    expect(s.instructions).toMatchObject({ version: 1, markdown: DEFAULT_INSTRUCTIONS });
    expect(s.instructions!.criteria.map((c) => c.key)).toEqual(DEFAULT_CRITERIA.map((c) => c.key));
    expect(s.students.map((x) => x.name).sort()).toEqual(f.students.map((x) => x.name).sort());
    expect(s.participants).toHaveLength(3);
    // Before launch: the plan at the default 5% margin says in numbers what the small design lacks.
    expect(s.settings.nonInferiorityMargin).toBe(0.05);
    expect(s.plan.available.annotators).toBe(3);
    expect(s.plan.needed.ok).toBe(true);
    expect(s.plan.verdict).toMatch(
      /^To settle non-inferiority at the 5% margin with 80% power the study needs \d+ more items \(\d+ needed, \d+ in the eval set\)/,
    );
  });

  it("refuses a student as the teacher, settings without outputs, a non-annotator participant and a duplicate name", async () => {
    await expect(
      createStudy(
        f.researcher,
        studyInput(f, {
          name: `${f.tag} x1`,
          teacherSystemId: f.students[0].id,
          teacherSettingsKey: f.students[0].settingsKey,
        }),
      ),
    ).rejects.toThrow(/teacher/);
    await expect(
      createStudy(f.researcher, studyInput(f, { name: `${f.tag} x2`, teacherSettingsKey: "no-such-settings" })),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      createStudy(
        f.researcher,
        studyInput(f, {
          name: `${f.tag} x3`,
          students: [{ systemId: f.teacher.id, settingsKey: f.teacher.settingsKey }],
        }),
      ),
    ).rejects.toThrow(/student/);
    await expect(
      createStudy(f.researcher, studyInput(f, { name: `${f.tag} x4`, participantIds: [f.researcher.id] })),
    ).rejects.toThrow(/annotators/);
    await createStudy(f.researcher, studyInput(f, { name: `${f.tag} dup` }));
    await expect(createStudy(f.researcher, studyInput(f, { name: `${f.tag} dup` }))).rejects.toBeInstanceOf(
      ConflictError,
    );
  });

  it("refuses gold and attention checks over half of the pairs, on create and on update against the stored share", async () => {
    await expect(
      createStudy(f.researcher, studyInput(f, { name: `${f.tag} x5`, goldShare: 0.3, attentionShare: 0.3 })),
    ).rejects.toThrow(/at most half/);
    const { id } = await createStudy(f.researcher, studyInput(f, { name: `${f.tag} shares`, goldShare: 0.3 }));
    await expect(updateStudySettings(f.researcher, { studyId: id, attentionShare: 0.25 })).rejects.toThrow(
      /at most half/,
    );
    await expect(updateStudySettings(f.researcher, { studyId: id, attentionShare: 0.2 })).resolves.toMatchObject({
      status: "DRAFT",
    });
  });

  it("offers each system's stored settings on the eval set", async () => {
    const o = await listStudyOptions(f.researcher);
    const teacher = o.systems.find((s) => s.id === f.teacher.id)!;
    expect(teacher.outputs).toEqual([
      expect.objectContaining({ evalSetId: f.evalSetId, settingsKey: f.teacher.settingsKey, items: 10 }),
    ]);
  });
});

describe("launchStudy", () => {
  it("builds regular, gold and attention pairs from rank-0 outputs and goes live, once", async () => {
    const { id } = await createStudy(
      f.researcher,
      studyInput(f, { name: `${f.tag} launch`, goldShare: 0.1, attentionShare: 0.1 }),
    );
    const r = await launchStudy(f.researcher, { studyId: id });
    // 20 regular pairs are 80% of 25; 10% of 25 rounds to 3 each.
    // Checks spread one per item: the busiest item has 3 pairs x k=2 = 6 annotators.
    expect(r).toEqual({ pairs: 26, gold: 3, attention: 3, skippedItems: 0, minimumAnnotators: 6, note: null });
    const pairs = await prisma.pair.findMany({
      where: { studyId: id },
      select: { kind: true, studentOutput: { select: { rank: true } }, teacherOutput: { select: { rank: true } } },
    });
    expect(pairs.every((p) => p.studentOutput.rank === 0 && p.teacherOutput.rank === 0)).toBe(true);
    expect((await getStudy(f.researcher, { studyId: id })).status).toBe("LIVE");
    await expect(launchStudy(f.researcher, { studyId: id })).rejects.toBeInstanceOf(ConflictError);
    expect(await prisma.pair.count({ where: { studyId: id } })).toBe(26);
  });

  it("refuses to launch a design its participants cannot complete, says in numbers what to change, and stays a draft", async () => {
    // 2 students x k=2: each item needs 4 different annotators (one pair of an item per person); 3 take part.
    const { id } = await createStudy(
      f.researcher,
      studyInput(f, { name: `${f.tag} few`, annotatorsPerPair: 2, participantIds: f.annotators.map((a) => a.id) }),
    );
    const refusal = launchStudy(f.researcher, { studyId: id });
    await expect(refusal).rejects.toBeInstanceOf(ValidationError);
    await expect(refusal).rejects.toThrow(
      "This design cannot be completed. Each item needs 2 students x k=2 = 4 different annotators, since one annotator rates at most one pair of an item; the study has 3 annotators: add 1 annotator, lower k to 1 or rate at most 1 student.",
    );
    expect((await getStudy(f.researcher, { studyId: id })).status).toBe("DRAFT");
    expect(await prisma.pair.count({ where: { studyId: id } })).toBe(0);
  });
});

describe("once live", () => {
  let id: string;
  beforeAll(async () => {
    id = (await createStudy(f.researcher, studyInput(f, { name: `${f.tag} live` }))).id;
    await launchStudy(f.researcher, { studyId: id });
  });

  it("locks settings that collected ratings depend on, with a message that says why", async () => {
    await expect(updateStudySettings(f.researcher, { studyId: id, annotatorsPerPair: 3 })).rejects.toThrow(
      /annotatorsPerPair cannot change once the study is live/,
    );
    await expect(updateStudySettings(f.researcher, { studyId: id, goldShare: 0.2 })).rejects.toBeInstanceOf(
      ValidationError,
    );
    // Moving the margin after seeing data would tune the claim to the result.
    await expect(updateStudySettings(f.researcher, { studyId: id, nonInferiorityMargin: 0.1 })).rejects.toThrow(
      /nonInferiorityMargin cannot change once the study is live/,
    );
    await expect(
      updateStudySettings(f.researcher, { studyId: id, leaseMinutes: 10, maxPairsPerAnnotator: 5 }),
    ).resolves.toMatchObject({ status: "LIVE" });
  });

  it("changes only the settings it is given, so a live study with checks can still change its lease", async () => {
    const { id: checked } = await createStudy(
      f.researcher,
      studyInput(f, {
        name: `${f.tag} live checks`,
        goldShare: 0.1,
        attentionShare: 0.05,
        maxPairsPerAnnotator: 7,
        minGoldAccuracy: 0.6,
      }),
    );
    await launchStudy(f.researcher, { studyId: checked });
    await expect(updateStudySettings(f.researcher, { studyId: checked, leaseMinutes: 12 })).resolves.toMatchObject({
      status: "LIVE",
    });
    // The design is fixed once live, like k.
    await expect(updateStudySettings(f.researcher, { studyId: checked, design: "RANKING" })).rejects.toThrow(
      /design cannot change once the study is live/,
    );
    expect((await getStudy(f.researcher, { studyId: checked })).settings).toEqual({
      design: "PAIRWISE",
      annotatorsPerPair: 2,
      maxPairsPerAnnotator: 7,
      goldShare: 0.1,
      attentionShare: 0.05,
      minGoldAccuracy: 0.6,
      nonInferiorityMargin: 0.05,
      leaseMinutes: 12,
    });
  });

  it("refuses a settings change when the study launched between the check and the write", async () => {
    // The read says DRAFT (as it would just before a launch commits); the row is already LIVE
    const staleStudy = new Proxy(prisma.study, {
      get(target, prop) {
        if (prop === "findUnique")
          return async (args: object) => ({ ...(await target.findUnique(args as never)), status: "DRAFT" });
        const value = Reflect.get(target, prop, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const db = new Proxy(prisma, {
      get: (target, prop) => (prop === "study" ? staleStudy : Reflect.get(target, prop, target)),
    });
    await expect(updateStudySettings(f.researcher, { studyId: id, annotatorsPerPair: 5 }, db)).rejects.toThrow(
      /changed status while you were editing/,
    );
    expect((await getStudy(f.researcher, { studyId: id })).settings.annotatorsPerPair).toBe(2);
  });

  it("makes every instructions edit a new version and keeps criterion keys", async () => {
    const v2 = await editInstructions(f.researcher, {
      studyId: id,
      markdown: "# New",
      criteria: DEFAULT_CRITERIA.map((c) => ({ ...c, label: `${c.label}!` })),
    });
    expect(v2.version).toBe(2);
    await expect(
      editInstructions(f.researcher, { studyId: id, markdown: "# x", criteria: DEFAULT_CRITERIA.slice(1) }),
    ).rejects.toThrow(/Criteria cannot be added, removed or renamed/);
    expect(await prisma.instructionsVersion.count({ where: { studyId: id } })).toBe(2);
  });

  it("moves LIVE -> PAUSED -> LIVE -> CLOSED and refuses anything else", async () => {
    await setStudyStatus(f.researcher, { studyId: id, status: "PAUSED" });
    await expect(setStudyStatus(f.researcher, { studyId: id, status: "PAUSED" })).rejects.toBeInstanceOf(ConflictError);
    await setStudyStatus(f.researcher, { studyId: id, status: "LIVE" });
    await setStudyStatus(f.researcher, { studyId: id, status: "CLOSED" });
    await expect(setStudyStatus(f.researcher, { studyId: id, status: "LIVE" })).rejects.toThrow(
      /closed study cannot become live/,
    );
    await expect(updateStudySettings(f.researcher, { studyId: id, leaseMinutes: 5 })).rejects.toBeInstanceOf(
      ConflictError,
    );
  });
});

describe("participants, preview and monitor", () => {
  it("adds and removes participants, but not someone who already worked", async () => {
    const { id } = await createStudy(f.researcher, studyInput(f, { name: `${f.tag} parts`, annotatorsPerPair: 1 }));
    // Two students: each item needs two different annotators.
    await setParticipants(f.researcher, { studyId: id, userIds: [f.annotators[0].id, f.idle[0].id] });
    expect((await getStudy(f.researcher, { studyId: id })).participants.map((p) => p.userId).sort()).toEqual(
      [f.annotators[0].id, f.idle[0].id].sort(),
    );
    await launchStudy(f.researcher, { studyId: id });
    const pair = await prisma.pair.findFirstOrThrow({ where: { studyId: id }, select: { id: true } });
    await prisma.assignment.create({
      data: {
        pairId: pair.id,
        annotatorId: f.annotators[0].id,
        teacherOnLeft: true,
        leaseExpiresAt: new Date(Date.now() + 60_000),
      },
    });
    await expect(setParticipants(f.researcher, { studyId: id, userIds: [f.annotators[1].id] })).rejects.toThrow(
      /pause them instead/,
    );
    const monitor = await getStudyMonitor(f.researcher, { studyId: id });
    expect(monitor.annotators.find((a) => a.userId === f.annotators[0].id)).toMatchObject({ active: 1, done: 0 });
  });

  it("offers active annotators, and only them, as participants, to researchers only", async () => {
    const choices = await listAnnotatorChoices(f.researcher);
    const ids = choices.map((c) => c.id);
    for (const a of f.annotators) expect(ids).toContain(a.id);
    expect(ids).not.toContain(f.researcher.id);
    await expect(listAnnotatorChoices(f.annotators[0])).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("previews the instructions and a real item", async () => {
    const { id } = await createStudy(f.researcher, studyInput(f, { name: `${f.tag} preview` }));
    const p = await previewStudy(f.researcher, { studyId: id });
    expect(p.instructions.version).toBe(1);
    expect(p.sample?.source).toMatch(/^Source sentence number/);
    expect(p.sample?.left).toMatch(/^TEACHER 0 paraphrase \d+ rank 0/);
    // The first item, both sides' rank-0 texts of that same item.
    expect(p.sample?.source).toMatch(/^Source sentence number 0 /);
    expect(p.sample?.left).toMatch(/^TEACHER 0 paraphrase 0 rank 0 /);
    expect(p.sample?.right).toMatch(/^STUDENT \d paraphrase 0 rank 0 /);
  });

  it("answers not found for a study that does not exist", async () => {
    await expect(getStudy(f.researcher, { studyId: "00000000-0000-4000-8000-000000000000" })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});
