import { readFileSync } from "node:fs";
import path from "node:path";
import { prisma, type Db } from "@/lib/db";
import { env } from "@/lib/env";
import { ensureUser } from "@/lib/users";
import { syncStudentSystems } from "@/lib/systems";
import { ensureJudgeSystem } from "@/lib/judge";
import {
  embeddingProvider,
  evalSetTexts,
  loadStoredEmbeddings,
  requestEmbeddings,
  storeOutputSimilarities,
} from "@/lib/embeddings";
import { DEMO_EVAL_SET, DEMO_USERS, seedDemoStudy } from "./demo-study";
import { seedDemoRatings } from "./demo-ratings";

export { DEMO_EVAL_SET, DEMO_USERS };
export const DEMO_PASSWORD = "demo-password-1";

export interface SeedReport {
  admin: { email: string; created: boolean };
  students: string[];
  teacherFromEnv: boolean;
  demoUsersCreated: number;
  demoEvalSetCreated: boolean;
  demoStudy?: { id: string | null; created: boolean; skipped?: string };
  simulatedRatingsCreated?: number;
}

/** With TEACHER_BASE_URL set, a teacher system "teacher-llm" for it (created once; edit it in the app). */
async function ensureTeacherFromEnv(db: Db): Promise<boolean> {
  const e = env();
  if (!e.TEACHER_BASE_URL) return false;
  const existing = await db.system.findUnique({ where: { name: "teacher-llm" }, select: { id: true } });
  if (!existing) {
    await db.system.create({
      data: {
        name: "teacher-llm",
        role: "TEACHER",
        kind: "LLM_API",
        baseUrl: e.TEACHER_BASE_URL,
        modelName: e.TEACHER_MODEL,
        apiKeyEnv: "TEACHER_API_KEY",
        defaultSettings: { n: 5, temperature: 0 },
        description: `OpenAI-compatible chat endpoint, model ${e.TEACHER_MODEL} (from TEACHER_BASE_URL)`,
      },
      select: { id: true },
    });
  }
  return true;
}

/** Source sentences the shipped student was never trained on verbatim (models/train-student). */
function demoSources(): string[] {
  const file = path.join(process.cwd(), "models", "train-student", "demo-sources.txt");
  return readFileSync(file, "utf8")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

/**
 * Idempotent: creates what is missing and leaves everything that exists as it is, so running
 * it at every start never duplicates rows or resets a changed password.
 */
export async function seed({
  withDemo = true,
  db = prisma,
}: { withDemo?: boolean; db?: Db } = {}): Promise<SeedReport> {
  const e = env();
  const admin = await ensureUser(
    { email: e.ADMIN_EMAIL, name: "Admin", role: "ADMIN", password: e.ADMIN_PASSWORD },
    db,
  );
  const { models } = await syncStudentSystems(db);
  const teacherFromEnv = await ensureTeacherFromEnv(db);
  await ensureJudgeSystem(db);
  const report: SeedReport = {
    admin: { email: e.ADMIN_EMAIL, created: admin.created },
    students: models,
    teacherFromEnv,
    demoUsersCreated: 0,
    demoEvalSetCreated: false,
  };
  if (!withDemo) return report;
  for (const u of DEMO_USERS) {
    const r = await ensureUser({ ...u, password: DEMO_PASSWORD }, db);
    if (r.created) report.demoUsersCreated++;
  }
  const existing = await db.evalSet.findUnique({ where: { name: DEMO_EVAL_SET }, select: { id: true } });
  if (!existing) {
    const sources = demoSources();
    await db.evalSet.create({
      data: {
        name: DEMO_EVAL_SET,
        description: "Short everyday sentences, used by the demo study.",
        isDemo: true,
        sourceFilename: "models/train-student/demo-sources.txt",
        createdById: admin.id,
        items: {
          create: sources.map((source, i) => ({
            externalId: `demo-${String(i + 1).padStart(3, "0")}`,
            position: i,
            source,
            references: [],
          })),
        },
      },
      select: { id: true },
    });
    report.demoEvalSetCreated = true;
  }
  const study = await seedDemoStudy(db);
  report.demoStudy = { id: study.studyId, created: study.studyCreated, skipped: study.skipped };
  // Marked simulated, made by inactive accounts, never mixed with real ratings (prisma/demo-ratings.ts).
  if (study.studyId && process.env.SEED_SIMULATED_RATINGS !== "0") {
    report.simulatedRatingsCreated = (await seedDemoRatings(db, study.studyId)).created;
  }
  await queueDemoEmbeddings(db);
  return report;
}

/**
 * The demo's semantic similarity is ready by the time someone opens it: the worker started beside
 * the app embeds the demo set's texts (once; later starts find them stored and queue nothing).
 */
async function queueDemoEmbeddings(db: Db) {
  const set = await db.evalSet.findUnique({ where: { name: DEMO_EVAL_SET }, select: { id: true } });
  if (!set) return;
  let model: string;
  try {
    model = embeddingProvider().model;
  } catch {
    return; // a misconfigured encoder is reported where semantic similarity is shown
  }
  const texts = await evalSetTexts(set.id, db);
  const stored = await loadStoredEmbeddings({ texts, model }, db);
  const missing = new Set(texts).size - stored.size;
  if (missing > 0) await requestEmbeddings({ evalSetId: set.id, model, missing }, db);
  else await storeOutputSimilarities({ evalSetId: set.id, model }, db);
}
