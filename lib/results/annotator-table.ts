/**
 * Per-annotator table: how much each annotator rated, how fast, how often they gave the known
 * answer on gold and attention pairs, and how well they agree with the others. Agreement is
 * Krippendorff's alpha (interval) between the annotator's rating of an output and the mean of
 * the other annotators' ratings of the same output in the same pair, per criterion: low or
 * negative alpha marks someone who rates unlike everyone else.
 */
import { isExpectedAnswer, type Scores } from "@/lib/studies";
import { krippendorffAlpha, median } from "@/lib/results/stats";
import type { RatingRowDb } from "./queries";
import type { Maybe } from "./schemas";

export interface CheckCount {
  answered: number;
  correct: number;
  accuracy: number | null;
}

export interface AnnotatorSummary {
  annotatorId: string;
  pseudonym: string;
  isPaused: boolean;
  pausedReason: string | null;
  ratings: number;
  regularRatings: number;
  medianActiveMs: number | null;
  gold: CheckCount;
  attention: CheckCount;
  agreement: { criterion: string; result: Maybe<{ alpha: number; units: number }> }[];
}

export function annotatorTable(args: {
  rows: readonly RatingRowDb[];
  criteria: readonly string[];
  annotators: { annotatorId: string; pseudonym: string; isPaused: boolean; pausedReason: string | null }[];
  checkPairs: ReadonlyMap<string, { kind: "GOLD" | "ATTENTION"; expected: unknown }>;
}): AnnotatorSummary[] {
  const { rows, criteria } = args;
  const C = criteria.length;
  const annIndex = new Map(args.annotators.map((a, i) => [a.annotatorId, i]));
  const A = args.annotators.length;
  const times: number[][] = Array.from({ length: A }, () => []);
  const regular = new Int32Array(A);
  const checks = Array.from({ length: A }, () => ({ gold: { answered: 0, correct: 0 }, attention: { answered: 0, correct: 0 } }));

  // Units: (pair, teacher or student side, criterion).
  const pairIndex = new Map<string, number>();
  for (const r of rows) if (r.kind === "REGULAR" && !pairIndex.has(r.pairId)) pairIndex.set(r.pairId, pairIndex.size);
  const unitCount = pairIndex.size * 2 * C;
  const sum = new Float64Array(unitCount);
  const count = new Int32Array(unitCount);
  const entryUnit: number[] = [];
  const entryAnn: number[] = [];
  const entryValue: number[] = [];

  for (const r of rows) {
    const a = annIndex.get(r.annotatorId);
    if (a === undefined) continue;
    times[a].push(r.activeMs);
    if (r.kind !== "REGULAR") {
      const check = args.checkPairs.get(r.pairId);
      if (!check) continue;
      const bucket = check.kind === "GOLD" ? checks[a].gold : checks[a].attention;
      bucket.answered++;
      if (isExpectedAnswer(check.expected, { scores: r.scores as Scores, preference: r.preference, teacherOnLeft: r.teacherOnLeft })) bucket.correct++;
      continue;
    }
    regular[a]++;
    const p = pairIndex.get(r.pairId)!;
    for (let c = 0; c < C; c++) {
      const score = r.scores?.[criteria[c]];
      if (!score) continue;
      const teacherValue = r.teacherOnLeft ? score.left : score.right;
      const studentValue = r.teacherOnLeft ? score.right : score.left;
      const sides = [teacherValue, studentValue];
      for (let s = 0; s < 2; s++) {
        const v = sides[s];
        if (typeof v !== "number") continue;
        const unit = (p * 2 + s) * C + c;
        sum[unit] += v;
        count[unit]++;
        entryUnit.push(unit);
        entryAnn.push(a);
        entryValue.push(v);
      }
    }
  }

  const matrices: [number, number][][][] = Array.from({ length: A }, () => Array.from({ length: C }, () => []));
  for (let e = 0; e < entryUnit.length; e++) {
    const u = entryUnit[e];
    if (count[u] < 2) continue;
    const v = entryValue[e];
    matrices[entryAnn[e]][u % C].push([v, (sum[u] - v) / (count[u] - 1)]);
  }

  const share = (x: { answered: number; correct: number }): CheckCount => ({ ...x, accuracy: x.answered ? x.correct / x.answered : null });
  return args.annotators.map((ann, a) => ({
    ...ann,
    ratings: times[a].length,
    regularRatings: regular[a],
    medianActiveMs: times[a].length ? median(times[a]) : null,
    gold: share(checks[a].gold),
    attention: share(checks[a].attention),
    agreement: criteria.map((criterion, c) => {
      const units = matrices[a][c];
      if (units.length === 0) return { criterion, result: { ok: false as const, reason: "no output rated by this annotator was also rated by another" } };
      const alpha = krippendorffAlpha({ units, level: "interval" });
      return { criterion, result: alpha.ok ? { ok: true as const, alpha: alpha.alpha, units: alpha.pairableUnits } : alpha };
    }),
  }));
}
