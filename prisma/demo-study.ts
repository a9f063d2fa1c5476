/**
 * The demo study: the rule-based teacher against the shipped tiny student on the demo eval set,
 * live, with the demo annotators taking part. Idempotent: every call creates only what is
 * missing. Called from prisma/seed.ts after the demo users and eval set exist.
 *
 * Teacher side: prisma/demo/teacher-outputs.jsonl (made by prisma/demo/make-teacher-outputs.py
 * from models/train-student/teacher.py), stored under the EXTERNAL teacher system
 * "Rule-based teacher (demo)" with settingsKey "imported".
 *
 * Student side, first that applies: (1) `studentOutputs` passed in; (2) outputs of the student
 * system "paraphrase-student-tiny" already stored for the demo set (e.g. by a generation job);
 * (3) outputs generated now with lib/inference when models/paraphrase-student-tiny is complete.
 * Without any of these no study is created (a student is never faked) and the report says why.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { prisma, type Db } from "@/lib/db";
import type { Actor } from "@/lib/auth/permissions";
import { normaliseSettings } from "@/lib/generation";
import { ConflictError } from "@/lib/errors";
import { createStudy, launchStudy } from "@/lib/studies";

// Annotators see a study's name, so it names no system.
export const DEMO_STUDY = "Demo: everyday paraphrases";
export const DEMO_TEACHER = "Rule-based teacher (demo)";
export const DEMO_STUDENT = "paraphrase-student-tiny";
/** The demo's people and sentences: prisma/seed.ts creates them, the demo study uses them. */
export const DEMO_USERS = [
  { email: "researcher@example.com", name: "Rita Researcher", role: "RESEARCHER" as const },
  { email: "annotator1@example.com", name: "Ann Annotator", role: "ANNOTATOR" as const },
  { email: "annotator2@example.com", name: "Ben Annotator", role: "ANNOTATOR" as const },
];
export const DEMO_EVAL_SET = "Demo: everyday sentences";
const DEMO_RESEARCHER = DEMO_USERS.filter((u) => u.role === "RESEARCHER")[0].email;
const DEMO_ANNOTATORS = DEMO_USERS.filter((u) => u.role === "ANNOTATOR").map((u) => u.email);
/** Decoding used when the seed generates the student's outputs itself (HF generate() names). */
export const DEMO_STUDENT_SETTINGS = {
  strategy: "beam",
  numBeams: 4,
  numReturnSequences: 1,
  maxNewTokens: 48,
} as const;

export interface DemoStudentOutputs {
  /** The generation options the outputs were made with (lib/inference GenerationOptions); their key is lib/generation's. */
  settings: Record<string, unknown>;
  /** Per demo item (EvalItem.externalId: "demo-001" ...), the paraphrases best first. */
  items: { externalId: string; texts: string[]; latencyMs?: number }[];
}

export interface DemoStudyReport {
  studyCreated: boolean;
  studyId: string | null;
  teacherOutputsCreated: number;
  studentOutputsCreated: number;
  /** Why there is no demo study, when there is none. */
  skipped?: string;
}

function teacherFile(): { externalId: string; outputs: string[] }[] {
  const file = path.join(process.cwd(), "prisma", "demo", "teacher-outputs.jsonl");
  return readFileSync(file, "utf8")
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

// An upsert (INSERT ... ON CONFLICT) so two seeds running at once (tests, two app processes) both succeed.
function ensureSystem(
  db: Db,
  data: {
    name: string;
    role: "TEACHER" | "STUDENT";
    kind: "EXTERNAL" | "ONNX_MODEL";
    description: string;
    modelDir?: string;
  },
) {
  return db.system.upsert({ where: { name: data.name }, create: data, update: {}, select: { id: true, role: true } });
}

async function storeOutputs(
  db: Db,
  args: {
    systemId: string;
    settingsKey: string;
    settings: object;
    byExternalId: Map<string, { texts: string[]; latencyMs?: number }>;
    items: { id: string; externalId: string }[];
  },
) {
  const rows = args.items.flatMap((it) =>
    (args.byExternalId.get(it.externalId)?.texts ?? []).map((text, rank) => ({
      itemId: it.id,
      systemId: args.systemId,
      settingsKey: args.settingsKey,
      settings: args.settings,
      rank,
      text,
      latencyMs: args.byExternalId.get(it.externalId)?.latencyMs ?? null,
    })),
  );
  // The unique (item, system, settingsKey, rank) makes a second run insert nothing.
  const { count } = await db.output.createMany({ data: rows, skipDuplicates: true });
  return count;
}

/** Runs the shipped student over the demo sources, when its model folder is complete. */
export async function generateStudentOutputs(
  items: { externalId: string; source: string }[],
): Promise<DemoStudentOutputs | null> {
  const inference = await import("@/lib/inference");
  if (!(await inference.findModel(DEMO_STUDENT))) return null;
  try {
    const result = await inference.paraphrase({
      modelName: DEMO_STUDENT,
      inputs: items.map((i) => i.source),
      options: { ...DEMO_STUDENT_SETTINGS },
    });
    const perItem = result.latencyMs / items.length;
    return {
      settings: { ...DEMO_STUDENT_SETTINGS },
      items: items.map((it, i) => ({ externalId: it.externalId, texts: result.outputs[i], latencyMs: perItem })),
    };
  } catch (err) {
    // A broken model folder must not stop the app from starting: the demo study waits for it.
    console.error(`Demo study: could not generate ${DEMO_STUDENT} outputs:`, err instanceof Error ? err.message : err);
    return null;
  } finally {
    await inference.closeParaphrasePool();
  }
}

/** Creates (once) the demo teacher and student outputs and a LIVE demo study with the demo annotators. */
export async function seedDemoStudy(
  db: Db = prisma,
  opts: { studentOutputs?: DemoStudentOutputs } = {},
): Promise<DemoStudyReport> {
  const report: DemoStudyReport = {
    studyCreated: false,
    studyId: null,
    teacherOutputsCreated: 0,
    studentOutputsCreated: 0,
  };
  const existing = await db.study.findUnique({ where: { name: DEMO_STUDY }, select: { id: true, status: true } });
  const evalSet = await db.evalSet.findUnique({
    where: { name: DEMO_EVAL_SET },
    select: { id: true, items: { select: { id: true, externalId: true, source: true }, orderBy: { position: "asc" } } },
  });
  const researcher = await db.user.findUnique({
    where: { email: DEMO_RESEARCHER },
    select: { id: true, role: true, email: true, name: true },
  });
  const annotators = await db.user.findMany({
    where: { email: { in: DEMO_ANNOTATORS }, role: "ANNOTATOR" },
    select: { id: true },
  });
  if (!evalSet || !researcher || annotators.length < DEMO_ANNOTATORS.length)
    return { ...report, skipped: "the demo users and eval set must be seeded first" };

  const teacher = await ensureSystem(db, {
    name: DEMO_TEACHER,
    role: "TEACHER",
    kind: "EXTERNAL",
    description:
      "The rule-based paraphraser the tiny student was distilled from (models/train-student/teacher.py); outputs imported from prisma/demo/teacher-outputs.jsonl.",
  });
  const teacherRows = new Map(teacherFile().map((r) => [r.externalId, { texts: r.outputs }]));
  report.teacherOutputsCreated = await storeOutputs(db, {
    systemId: teacher.id,
    settingsKey: "imported",
    settings: { source: "prisma/demo/teacher-outputs.jsonl" },
    byExternalId: teacherRows,
    items: evalSet.items,
  });

  if (existing?.status && existing.status !== "DRAFT") return { ...report, studyId: existing.id };

  const student = await ensureSystem(db, {
    name: DEMO_STUDENT,
    role: "STUDENT",
    kind: "ONNX_MODEL",
    modelDir: DEMO_STUDENT,
    description: "The tiny student shipped in models/paraphrase-student-tiny.",
  });
  let studentKey: string | null = null;
  const given =
    opts.studentOutputs ??
    ((await studentOutputsStored(db, student.id, evalSet.id)) ? null : await generateStudentOutputs(evalSet.items));
  if (given) {
    const { settings, settingsKey } = normaliseSettings("ONNX_MODEL", given.settings);
    report.studentOutputsCreated = await storeOutputs(db, {
      systemId: student.id,
      settingsKey,
      settings,
      byExternalId: new Map(given.items.map((i) => [i.externalId, i])),
      items: evalSet.items,
    });
    studentKey = settingsKey;
  }
  studentKey ??= await studentOutputsStored(db, student.id, evalSet.id);
  if (!studentKey)
    return {
      ...report,
      skipped: `no outputs of ${DEMO_STUDENT} for the demo eval set yet (pass studentOutputs, generate them, or add models/${DEMO_STUDENT})`,
    };

  const actor: Actor = { ...researcher, role: "RESEARCHER" };
  let studyId = existing?.id;
  if (!studyId) {
    const created = await createStudy(
      actor,
      {
        name: DEMO_STUDY,
        description: "Demo: two annotators compare the rule-based teacher with the tiny distilled student, blind.",
        evalSetId: evalSet.id,
        teacherSystemId: teacher.id,
        teacherSettingsKey: "imported",
        students: [{ systemId: student.id, settingsKey: studentKey }],
        participantIds: annotators.map((a) => a.id),
        // Both demo annotators rate every item, so their agreement can be measured. No gold or
        // attention pairs: an item with one would have two pairs x k=2 = 4 different annotators
        // (one pair of an item per person), and the launch refuses a design two cannot complete.
        annotatorsPerPair: 2,
        goldShare: 0,
        attentionShare: 0,
        leaseMinutes: 30,
      },
      db,
    ).catch((err: unknown) => {
      // Another seed created it a moment ago: theirs stands.
      if (err instanceof ConflictError || (err as { code?: string })?.code === "P2002") return null;
      throw err;
    });
    if (!created)
      return {
        ...report,
        studyId: (await db.study.findUniqueOrThrow({ where: { name: DEMO_STUDY }, select: { id: true } })).id,
      };
    studyId = created.id;
  }
  // A new study, or a draft left by a seed that stopped half-way.
  await db.study.update({ where: { id: studyId }, data: { isDemo: true }, select: { id: true } });
  await launchStudy(actor, { studyId }, db);
  return { ...report, studyCreated: true, studyId };
}

/** The settings key with the most stored outputs of this system on the eval set, if any. */
async function studentOutputsStored(db: Db, systemId: string, evalSetId: string): Promise<string | null> {
  const rows = await db.output.groupBy({
    by: ["settingsKey"],
    where: { systemId, item: { evalSetId } },
    _count: true,
    orderBy: { _count: { settingsKey: "desc" } },
    take: 1,
  });
  return rows[0]?.settingsKey ?? null;
}
