import { z } from "zod";
import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { requireStudyAccess } from "./study-access";
import { prisma, type DbOrTx } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { planStudy, type StudyPlan } from "./plan-study";
import { activeAnnotators, latestInstructions, outputSettingsByEvalSet } from "./queries";
import { CriteriaSchema, type Criterion } from "@/lib/annotation/schemas";
import { StudyIdInput } from "./schemas";

export interface StudyDetail {
  id: string;
  name: string;
  description: string;
  status: "DRAFT" | "LIVE" | "PAUSED" | "CLOSED";
  evalSet: { id: string; name: string };
  teacher: { id: string; name: string; settingsKey: string | null };
  students: { id: string; name: string; settingsKey: string }[];
  settings: {
    design: "PAIRWISE" | "RANKING";
    annotatorsPerPair: number;
    maxPairsPerAnnotator: number | null;
    goldShare: number;
    attentionShare: number;
    minGoldAccuracy: number | null;
    nonInferiorityMargin: number;
    leaseMinutes: number;
  };
  participants: {
    userId: string;
    name: string;
    email: string;
    pseudonym: string;
    isPaused: boolean;
    pausedReason: string | null;
  }[];
  instructions: { id: string; version: number; markdown: string; criteria: Criterion[] } | null;
  counts: { pairs: number; ratings: number };
  launchedAt: Date | null;
  /** Items and annotators needed for 80% power at the margin, from an assumed spread, against what the study has. */
  plan: StudyPlan;
}

/** A study as researchers see it, systems named. */
export async function getStudy(
  actor: Actor | null,
  input: z.input<typeof StudyIdInput>,
  db: DbOrTx = prisma,
): Promise<StudyDetail> {
  requirePermission(actor, "studies:manage");
  const { studyId } = StudyIdInput.parse(input);
  await requireStudyAccess(actor, studyId, "read", db);
  const s = await db.study.findUnique({
    where: { id: studyId },
    select: {
      id: true,
      name: true,
      description: true,
      status: true,
      launchedAt: true,
      teacherSettingsKey: true,
      design: true,
      annotatorsPerPair: true,
      maxPairsPerAnnotator: true,
      goldShare: true,
      attentionShare: true,
      minGoldAccuracy: true,
      nonInferiorityMargin: true,
      leaseMinutes: true,
      evalSet: { select: { id: true, name: true, _count: { select: { items: true } } } },
      teacherSystem: { select: { id: true, name: true } },
      students: { select: { settingsKey: true, system: { select: { id: true, name: true } } } },
      participants: {
        select: {
          userId: true,
          isPaused: true,
          pausedReason: true,
          user: { select: { name: true, email: true, pseudonym: true } },
        },
        orderBy: { user: { email: "asc" } },
      },
      _count: { select: { pairs: true, ratings: true } },
    },
  });
  if (!s) throw new NotFoundError("No such study");
  const ins = await latestInstructions(studyId, db);
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    status: s.status,
    launchedAt: s.launchedAt,
    evalSet: { id: s.evalSet.id, name: s.evalSet.name },
    teacher: { ...s.teacherSystem, settingsKey: s.teacherSettingsKey },
    students: s.students.map((x) => ({ ...x.system, settingsKey: x.settingsKey })),
    settings: {
      design: s.design,
      annotatorsPerPair: s.annotatorsPerPair,
      maxPairsPerAnnotator: s.maxPairsPerAnnotator,
      goldShare: s.goldShare,
      attentionShare: s.attentionShare,
      minGoldAccuracy: s.minGoldAccuracy,
      nonInferiorityMargin: s.nonInferiorityMargin,
      leaseMinutes: s.leaseMinutes,
    },
    participants: s.participants.map((p) => ({
      userId: p.userId,
      isPaused: p.isPaused,
      pausedReason: p.pausedReason,
      ...p.user,
    })),
    instructions: ins
      ? { id: ins.id, version: ins.version, markdown: ins.markdown, criteria: CriteriaSchema.parse(ins.criteria) }
      : null,
    counts: s._count,
    plan: planStudy({
      margin: s.nonInferiorityMargin,
      annotatorsPerPair: s.annotatorsPerPair,
      maxPairsPerAnnotator: s.maxPairsPerAnnotator,
      students: s.students.length,
      criteria: ins ? CriteriaSchema.parse(ins.criteria).length : 1,
      items: s.evalSet._count.items,
      annotators: s.participants.filter((p) => !p.isPaused).length,
    }),
  };
}

export interface StudyOptions {
  evalSets: { id: string; name: string; items: number }[];
  systems: {
    id: string;
    name: string;
    role: "TEACHER" | "STUDENT";
    kind: string;
    outputs: { evalSetId: string; settingsKey: string; label: string; items: number }[];
  }[];
  annotators: { id: string; name: string; email: string }[];
}

function settingsLabel(settings: unknown, key: string): string {
  const json = settings && typeof settings === "object" ? JSON.stringify(settings) : "";
  return json && json !== "{}" ? (json.length > 80 ? `${json.slice(0, 77)}...` : json) : key.slice(0, 12);
}

/** What the create form offers: eval sets, systems with the settings they have outputs for, annotators. */
export async function listStudyOptions(actor: Actor | null, db: DbOrTx = prisma): Promise<StudyOptions> {
  requirePermission(actor, "studies:manage");
  const [evalSets, systems, settings, annotators] = await Promise.all([
    db.evalSet.findMany({
      select: { id: true, name: true, _count: { select: { items: true } } },
      orderBy: { createdAt: "desc" },
    }),
    db.system.findMany({
      where: { isActive: true, role: { in: ["TEACHER", "STUDENT"] } },
      select: { id: true, name: true, role: true, kind: true },
      orderBy: { name: "asc" },
    }),
    outputSettingsByEvalSet(db),
    activeAnnotators(db),
  ]);
  return {
    evalSets: evalSets.map((e) => ({ id: e.id, name: e.name, items: e._count.items })),
    systems: systems.map((s) => ({
      ...s,
      role: s.role as "TEACHER" | "STUDENT",
      outputs: settings
        .filter((o) => o.systemId === s.id)
        .map((o) => ({
          evalSetId: o.evalSetId,
          settingsKey: o.settingsKey,
          items: o.items,
          label: settingsLabel(o.settings, o.settingsKey),
        })),
    })),
    annotators,
  };
}

/** The annotators a study's participant list can choose from (the study page's form), without the create form's output scan. */
export async function listAnnotatorChoices(
  actor: Actor | null,
  db: DbOrTx = prisma,
): Promise<StudyOptions["annotators"]> {
  requirePermission(actor, "studies:manage");
  return activeAnnotators(db);
}
