/**
 * Per-annotator table: how much each annotator rated, how fast, how often they gave the known
 * answer on gold and attention pairs, and how well they agree with the others. Agreement is
 * Krippendorff's alpha (interval) between the annotator's rating of an output and the mean of
 * the other annotators' ratings of the same output in the same pair, per criterion: low or
 * negative alpha marks someone who rates unlike everyone else.
 */
import { isExpectedAnswer, type Scores } from "@/lib/studies";
import { median } from "@/lib/results/stats";
import { alphaFromCoincidences } from "@/lib/results/stats/krippendorff";
import { MIN_PAIRABLE_UNITS } from "@/lib/results/stats/sufficiency";
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

  // Flat (own value, others' mean) pairs per annotator and criterion.
  const pairs: number[][] = Array.from({ length: A * C }, () => []);
  for (let e = 0; e < entryUnit.length; e++) {
    const u = entryUnit[e];
    if (count[u] < 2) continue;
    const v = entryValue[e];
    pairs[entryAnn[e] * C + (u % C)].push(v, (sum[u] - v) / (count[u] - 1));
  }

  const share = (x: { answered: number; correct: number }): CheckCount => ({ ...x, accuracy: x.answered ? x.correct / x.answered : null });
  return args.annotators.map((ann, a) => ({
    ...ann,
    ratings: times[a].length,
    regularRatings: regular[a],
    medianActiveMs: times[a].length ? median(times[a]) : null,
    gold: share(checks[a].gold),
    attention: share(checks[a].attention),
    agreement: criteria.map((criterion, c) => ({ criterion, result: agreementWithOthers(pairs[a * C + c]) })),
  }));
}

/**
 * Interval alpha of two-value units given flat as (v0, m0, v1, m1, ...). Each unit adds one
 * coincidence in each direction (m_u - 1 = 1), so the matrix is built in one pass and handed to
 * the statistics library's alpha; going through the generic reliability-matrix entry point cost
 * most of a second on 100,000 ratings.
 */
function agreementWithOthers(flat: readonly number[]): Maybe<{ alpha: number; units: number }> {
  const units = flat.length / 2;
  if (units === 0) return { ok: false, reason: "no output rated by this annotator was also rated by another" };
  if (units < MIN_PAIRABLE_UNITS) return { ok: false, reason: `too few outputs also rated by others: ${units} (need at least ${MIN_PAIRABLE_UNITS})` };
  const values = Float64Array.from(new Set(flat)).sort();
  const index = new Map<number, number>();
  values.forEach((v, i) => index.set(v, i));
  const V = values.length;
  const o = new Float64Array(V * V);
  for (let i = 0; i < flat.length; i += 2) {
    const x = index.get(flat[i])!;
    const y = index.get(flat[i + 1])!;
    o[x * V + y]++;
    o[y * V + x]++;
  }
  const alpha = alphaFromCoincidences(o, values, "interval");
  return Number.isFinite(alpha) ? { ok: true, alpha, units } : { ok: false, reason: "the ratings do not vary, so agreement is undefined" };
}
