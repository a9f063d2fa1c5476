import { StoredScoresSchema, studentPreferenceSign, unblindScores, type Preference } from "@/lib/annotation";
import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { prisma, type DbOrTx } from "@/lib/db";
import { requireId } from "@/lib/ids";
import { requireStudyAccess } from "@/lib/studies";
import { correlate, type Correlation } from "@/lib/text-metrics";
import {
  bootstrapMeanCI,
  insufficient,
  krippendorffAlpha,
  mean as statsMean,
  type AlphaResult,
  type BootstrapInterval,
  type Figure,
} from "@/lib/stats";
import { humanRatings, judgeRatings, latestCriteria } from "./queries";

export interface JudgeAgreement {
  judgeName: string | null;
  judgedPairs: number;
  humanRatedPairs: number;
  /** Pairs with both human ratings and the judge's two orders. */
  comparablePairs: number;
  criteria: {
    criterion: string;
    /** The criterion's label from the instructions, as the results page shows it. */
    label: string;
    judgeMean: { teacher: number | null; student: number | null };
    humanMean: { teacher: number | null; student: number | null };
    spearman: Figure<Correlation>;
    alpha: Figure<AlphaResult>;
  }[];
  /** Share of pairs where the judge's preference (teacher / tie / student) equals the humans' majority. */
  preferenceAgreement: Figure<BootstrapInterval>;
  /** Among the judge's non-tie answers, the share that picked the left side. */
  judgeLeftShare: number | null;
  /** Pairs judged in both orders whose verdict (teacher, tie, student) changed when the sides were swapped. */
  flipRate: { flipped: number; pairs: number; share: number } | null;
}

const sign = (x: number) => (x > 1e-9 ? 1 : x < -1e-9 ? -1 : 0);
/** The mean, or null (not NaN) where there is nothing to average: the page shows a dash. */
const mean = (xs: number[]) => (xs.length ? statsMean(xs) : null);

/** The judge with the most ratings on the study (ties: the smaller id), or null when none has any. */
function busiestJudge(rows: { judgeSystemId: string }[]): string | null {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.judgeSystemId, (counts.get(r.judgeSystemId) ?? 0) + 1);
  let best: string | null = null;
  let bestCount = 0;
  for (const [id, n] of counts) {
    if (n > bestCount || (n === bestCount && best !== null && id < best)) [best, bestCount] = [id, n];
  }
  return best;
}

/**
 * How well the LLM judge agrees with the human annotators on this study's pairs. Human ratings
 * only (simulated ones excluded); the judge's two orders are averaged first. Where more than one
 * judge has rated the study, the one with the most ratings is reported.
 */
export async function getJudgeAgreement(
  actor: Actor | null,
  studyId: string,
  db: DbOrTx = prisma,
): Promise<JudgeAgreement> {
  requirePermission(actor, "results:read");
  await requireStudyAccess(actor, requireId(studyId, "study"), "read", db); // its owner, collaborators and admins only
  const [humans, allJudged, studyCriteria] = await Promise.all([
    humanRatings(studyId, db),
    judgeRatings(studyId, db),
    latestCriteria(studyId, db),
  ]);
  // One judge at a time: two judges' ratings of a pair would give it four orders and drop it.
  const judgeId = busiestJudge(allJudged);
  const judged = allJudged.filter((j) => j.judgeSystemId === judgeId);
  const judge = judgeId ? await db.system.findUnique({ where: { id: judgeId }, select: { name: true } }) : null;
  const keys = studyCriteria.map((c) => c.key);
  // Per pair: teacher-side and student-side scores per criterion, and preferences, from each source.
  type Acc = { teacher: Record<string, number[]>; student: Record<string, number[]>; prefs: number[] };
  const collect = (rows: { pairId: string; teacherOnLeft: boolean; scores: unknown; preference: Preference }[]) => {
    const m = new Map<string, Acc>();
    for (const r of rows) {
      const acc = m.get(r.pairId) ?? { teacher: {}, student: {}, prefs: [] };
      const scores = unblindScores(StoredScoresSchema.parse(r.scores), r.teacherOnLeft);
      for (const k of keys) {
        const s = scores[k];
        if (s?.teacher === undefined || s.student === undefined) continue;
        (acc.teacher[k] ??= []).push(s.teacher);
        (acc.student[k] ??= []).push(s.student);
      }
      acc.prefs.push(studentPreferenceSign(r.preference, r.teacherOnLeft));
      m.set(r.pairId, acc);
    }
    return m;
  };
  const human = collect(humans);
  const machine = collect(judged);
  const fullyJudged = [...machine.entries()].filter(([, a]) => a.prefs.length === 2).map(([id]) => id);
  const common = fullyJudged.filter((id) => human.has(id));

  const criteria = studyCriteria.map(({ key: k, label }) => {
    const hv: number[] = [];
    const jv: number[] = [];
    const cluster: number[] = [];
    common.forEach((id, i) => {
      for (const side of ["teacher", "student"] as const) {
        const h = mean(human.get(id)![side][k] ?? []);
        const j = mean(machine.get(id)![side][k] ?? []);
        if (h === null || j === null) continue;
        hv.push(h);
        jv.push(j);
        cluster.push(i);
      }
    });
    const sideMean = (m: Map<string, Acc>, side: "teacher" | "student") =>
      mean(common.flatMap((id) => m.get(id)![side][k] ?? []));
    return {
      criterion: k,
      label,
      judgeMean: { teacher: sideMean(machine, "teacher"), student: sideMean(machine, "student") },
      humanMean: { teacher: sideMean(human, "teacher"), student: sideMean(human, "student") },
      spearman: correlate({ x: hv, y: jv, method: "spearman" }),
      alpha:
        hv.length >= 2
          ? krippendorffAlpha({
              units: hv.map((h, i) => [h, jv[i]]),
              level: "interval",
              bootstrap: { samples: 1000, seed: 7 },
              clusters: { clusterOf: cluster, count: common.length },
            })
          : insufficient("fewer than 2 outputs rated by both the judge and the annotators"),
    };
  });

  const agree = common.map((id) => (sign(mean(human.get(id)!.prefs)!) === sign(mean(machine.get(id)!.prefs)!) ? 1 : 0));
  const preferenceAgreement: Figure<BootstrapInterval> =
    agree.length < 5
      ? insufficient(`only ${agree.length} pairs rated by both the judge and the annotators; at least 5 are needed`)
      : bootstrapMeanCI(agree, { samples: 2000, seed: 11 });

  const decisive = judged.filter((j) => j.preference !== "TIE");
  const flipped = fullyJudged.filter((id) => {
    const [a, b] = machine.get(id)!.prefs;
    return sign(a) !== sign(b);
  }).length;
  return {
    judgeName: judge?.name ?? null,
    judgedPairs: fullyJudged.length,
    humanRatedPairs: human.size,
    comparablePairs: common.length,
    criteria,
    preferenceAgreement,
    judgeLeftShare: decisive.length ? decisive.filter((j) => j.preference === "LEFT").length / decisive.length : null,
    flipRate: fullyJudged.length ? { flipped, pairs: fullyJudged.length, share: flipped / fullyJudged.length } : null,
  };
}
