// Test data for studies and annotation: an eval set, a teacher and students with outputs, and
// annotators, all uniquely named; `remove` deletes exactly what it made. Tests only.
import { prisma } from "@/lib/db";
import type { Actor } from "@/lib/auth/permissions";
import { acknowledgeInstructions, getNextItem } from "@/lib/annotation";
import { createStudy, DEFAULT_CRITERIA, launchStudy } from "@/lib/studies";
import { deleteUsers, makeUser, uniq } from "@/prisma/testing/factories";

export interface StudyFixture {
  tag: string;
  evalSetId: string;
  teacher: { id: string; name: string; settingsKey: string };
  students: { id: string; name: string; settingsKey: string }[];
  outputIds: string[];
  annotators: Actor[];
  /**
   * Annotators who take part (studyInput lists them) but never rate: a launch refuses a design
   * its participants cannot complete, and a test of one annotator's claims needs a study that
   * others could complete.
   */
  idle: Actor[];
  researcher: Actor;
  remove: () => Promise<void>;
}

export async function makeStudyFixture(
  opts: { items?: number; students?: number; annotators?: number; idle?: number } = {},
): Promise<StudyFixture> {
  const tag = uniq("study");
  const nItems = opts.items ?? 6;
  const evalSet = await prisma.evalSet.create({
    data: {
      name: `${tag} set`,
      items: {
        create: Array.from({ length: nItems }, (_, i) => ({
          externalId: `i${i}`,
          position: i,
          source: `Source sentence number ${i} of ${tag}.`,
          references: [],
        })),
      },
    },
    select: { id: true, items: { select: { id: true }, orderBy: { position: "asc" } } },
  });
  const mkSystem = async (role: "TEACHER" | "STUDENT", n: number) => {
    const sys = await prisma.system.create({
      data: { name: `${tag} ${role.toLowerCase()} ${n}`, role, kind: "EXTERNAL", modelDir: `models/${tag}-${n}` },
      select: { id: true, name: true },
    });
    const settingsKey = `key-${tag}-${n}`;
    const outs = await prisma.output.createManyAndReturn({
      data: evalSet.items.flatMap((it, i) =>
        [0, 1].map((rank) => ({
          itemId: it.id,
          systemId: sys.id,
          settingsKey,
          settings: { n: 2 },
          rank,
          text: `${role} ${n} paraphrase ${i} rank ${rank} of ${tag}.`,
        })),
      ),
      select: { id: true },
    });
    return { ...sys, settingsKey, outputIds: outs.map((o) => o.id) };
  };
  const teacher = await mkSystem("TEACHER", 0);
  const students = [];
  for (let s = 1; s <= (opts.students ?? 1); s++) students.push(await mkSystem("STUDENT", s));
  const annotators: Actor[] = [];
  for (let a = 0; a < (opts.annotators ?? 3); a++) annotators.push(await makeUser("ANNOTATOR"));
  const idle: Actor[] = [];
  for (let a = 0; a < (opts.idle ?? 0); a++) idle.push(await makeUser("ANNOTATOR"));
  const researcher = await makeUser("RESEARCHER");
  const systemIds = [teacher.id, ...students.map((s) => s.id)];
  return {
    tag,
    evalSetId: evalSet.id,
    teacher: { id: teacher.id, name: teacher.name, settingsKey: teacher.settingsKey },
    students: students.map((s) => ({ id: s.id, name: s.name, settingsKey: s.settingsKey })),
    outputIds: [...teacher.outputIds, ...students.flatMap((s) => s.outputIds)],
    annotators,
    idle,
    researcher,
    remove: async () => {
      // Ratings first: their instructions version is ON DELETE RESTRICT.
      await prisma.rating.deleteMany({ where: { study: { evalSetId: evalSet.id } } });
      await prisma.study.deleteMany({ where: { evalSetId: evalSet.id } });
      await deleteUsers(...[...annotators, ...idle].map((a) => a.id), researcher.id);
      await prisma.evalSet.delete({ where: { id: evalSet.id } });
      await prisma.system.deleteMany({ where: { id: { in: systemIds } } });
    },
  };
}

/** Create input for a fixture's study with every annotator (the idle ones too) taking part. */
export function studyInput(f: StudyFixture, overrides: Record<string, unknown> = {}) {
  return {
    name: `${f.tag} study`,
    evalSetId: f.evalSetId,
    teacherSystemId: f.teacher.id,
    teacherSettingsKey: f.teacher.settingsKey,
    students: f.students.map((s) => ({ systemId: s.id, settingsKey: s.settingsKey })),
    participantIds: [...f.annotators, ...f.idle].map((a) => a.id),
    annotatorsPerPair: 2,
    ...overrides,
  };
}

/**
 * A launched study of the fixture (a fresh name each time) and its instructions version; the
 * actors in `acknowledgedBy` have read them, so they can rate at once.
 */
export async function liveStudy(
  f: StudyFixture,
  overrides: Record<string, unknown> = {},
  acknowledgedBy: readonly Actor[] = [],
): Promise<{ studyId: string; versionId: string }> {
  const { id } = await createStudy(f.researcher, studyInput(f, { name: `${f.tag} ${Math.random()}`, ...overrides }));
  await launchStudy(f.researcher, { studyId: id });
  const version = await prisma.instructionsVersion.findFirstOrThrow({ where: { studyId: id }, select: { id: true } });
  for (const a of acknowledgedBy) await acknowledgeInstructions(a, { studyId: id, instructionsVersionId: version.id });
  return { studyId: id, versionId: version.id };
}

/** Scores for every default criterion: `left` on the left, `right` on the right. */
export const sameScores = (left: number, right: number) =>
  Object.fromEntries(DEFAULT_CRITERIA.map((c) => [c.key, { left, right }]));

/** The actor's next item in the study; throws when the answer is not an item. */
export async function claimItem(actor: Actor, studyId: string) {
  const next = await getNextItem(actor, { studyId });
  if (next.state !== "item") throw new Error(`expected an item, got ${next.state}`);
  return next;
}

/** The assignment id of the actor's next item in the study (claimItem's). */
export async function claimedAssignment(actor: Actor, studyId: string): Promise<string> {
  return (await claimItem(actor, studyId)).item.assignmentId;
}
