/**
 * Per-annotator table: how much each annotator rated, how fast, how often they gave the known
 * answer on gold and attention pairs, and how well they agree with the others. Agreement is
 * Krippendorff's alpha (interval) between the annotator's rating of an output and the mean of
 * the other annotators' ratings of the same output in the same pair, per criterion: low or
 * negative alpha marks someone who rates unlike everyone else.
 */
import { isExpectedAnswer, sideOf, StoredScoresSchema } from "@/lib/annotation";
import { alphaFromCoincidences, median, MIN_PAIRABLE_UNITS } from "@/lib/stats";
import { annotatorFlags } from "./annotator-flags";
import { KIND_REGULAR, type RatingColumnsDb, type RatingRowDb } from "./queries";
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
  /** Why this annotator's ratings may not count (too fast, failed gold, straight-lining); empty when none. */
  flags: string[];
}

type AnnotatorInfo = { annotatorId: string; pseudonym: string; isPaused: boolean; pausedReason: string | null };
type CheckPairs = ReadonlyMap<string, { kind: "GOLD" | "ATTENTION"; expected: unknown }>;

export function annotatorTable(args: {
  rows: readonly RatingRowDb[];
  criteria: readonly string[];
  annotators: AnnotatorInfo[];
  checkPairs: CheckPairs;
}): AnnotatorSummary[] {
  return annotatorTableOfColumns({ ...args, columns: ratingColumnsOfRows(args.rows, args.criteria) });
}

/** Rating rows as the columns loadRatingColumns returns (for callers that hold rows). */
export function ratingColumnsOfRows(rows: readonly RatingRowDb[], criteria: readonly string[]): RatingColumnsDb {
  const n = rows.length;
  const code = (index: Map<string, number>, id: string) => {
    let c = index.get(id);
    if (c === undefined) index.set(id, (c = index.size));
    return c;
  };
  const pairs = new Map<string, number>();
  const items = new Map<string, number>();
  const annotators = new Map<string, number>();
  const students = new Map<string, number>();
  const number = (v: unknown) => (typeof v === "number" ? v : NaN);
  return {
    length: n,
    pair: Int32Array.from(rows, (r) => code(pairs, r.pairId)),
    item: Int32Array.from(rows, (r) => code(items, r.itemId)),
    annotator: Int32Array.from(rows, (r) => code(annotators, r.annotatorId)),
    student: Int32Array.from(rows, (r) => code(students, r.studentSystemId)),
    kind: Uint8Array.from(rows, (r) => (r.kind === "REGULAR" ? KIND_REGULAR : r.kind === "GOLD" ? 1 : 2)),
    teacherOnLeft: Uint8Array.from(rows, (r) => (r.teacherOnLeft ? 1 : 0)),
    preference: Uint8Array.from(rows, (r) => (r.preference === "LEFT" ? 0 : r.preference === "TIE" ? 1 : 2)),
    activeMs: Float64Array.from(rows, (r) => r.activeMs),
    left: criteria.map((k) => Float64Array.from(rows, (r) => number(r.scores?.[k]?.left))),
    right: criteria.map((k) => Float64Array.from(rows, (r) => number(r.scores?.[k]?.right))),
    annotatorIds: [...annotators.keys()],
    studentSystemIds: [...students.keys()],
    checks: rows.filter((r) => r.kind !== "REGULAR"),
  };
}

/** The table from rating columns (left/right values per criterion of `criteria`). */
export function annotatorTableOfColumns(args: {
  columns: RatingColumnsDb;
  criteria: readonly string[];
  annotators: AnnotatorInfo[];
  checkPairs: CheckPairs;
}): AnnotatorSummary[] {
  const { columns: db, criteria } = args;
  const C = criteria.length;
  const annIndex = new Map(args.annotators.map((a, i) => [a.annotatorId, i]));
  const annOf = Int32Array.from(db.annotatorIds, (id) => annIndex.get(id) ?? -1);
  const A = args.annotators.length;
  const times: number[][] = Array.from({ length: A }, () => []);
  const regular = new Int32Array(A);
  // Regular ratings that gave one value to every criterion on both sides (straight-lining).
  const uniform = new Int32Array(A);
  const checks = Array.from({ length: A }, () => ({
    gold: { answered: 0, correct: 0 },
    attention: { answered: 0, correct: 0 },
  }));

  for (const r of db.checks) {
    const a = annIndex.get(r.annotatorId);
    const check = args.checkPairs.get(r.pairId);
    if (a === undefined || !check) continue;
    const bucket = check.kind === "GOLD" ? checks[a].gold : checks[a].attention;
    bucket.answered++;
    if (
      isExpectedAnswer(check.expected, {
        scores: StoredScoresSchema.parse(r.scores),
        preference: r.preference,
        teacherOnLeft: r.teacherOnLeft,
      })
    )
      bucket.correct++;
  }

  // Units: (pair, teacher or student side, criterion).
  let pairCount = 0;
  for (let r = 0; r < db.length; r++) pairCount = Math.max(pairCount, db.pair[r] + 1);
  const unitCount = pairCount * 2 * C;
  const sum = new Float64Array(unitCount);
  const count = new Int32Array(unitCount);
  // One entry per rated value; typed and preallocated, since 100,000 ratings give 800,000 of them.
  const capacity = db.length * C * 2;
  const entryUnit = new Int32Array(capacity);
  const entryAnn = new Int32Array(capacity);
  const entryValue = new Float64Array(capacity);
  let entries = 0;
  const add = (unit: number, a: number, v: number) => {
    if (Number.isNaN(v)) return;
    sum[unit] += v;
    count[unit]++;
    entryUnit[entries] = unit;
    entryAnn[entries] = a;
    entryValue[entries++] = v;
  };

  for (let r = 0; r < db.length; r++) {
    const a = annOf[db.annotator[r]];
    if (a < 0) continue;
    times[a].push(db.activeMs[r]);
    if (db.kind[r] !== KIND_REGULAR) continue;
    regular[a]++;
    const p = db.pair[r];
    const teacherOnLeft = db.teacherOnLeft[r] === 1;
    const teacher = db[sideOf("teacher", teacherOnLeft)];
    const student = db[sideOf("student", teacherOnLeft)];
    let isUniform = C > 0;
    for (let c = 0; c < C && isUniform; c++) {
      isUniform = teacher[c][r] === teacher[0][r] && student[c][r] === teacher[0][r];
    }
    if (isUniform) uniform[a]++;
    for (let c = 0; c < C; c++) {
      add(p * 2 * C + c, a, teacher[c][r]);
      add((p * 2 + 1) * C + c, a, student[c][r]);
    }
  }

  // Flat (own value, others' mean) pairs per annotator and criterion, counted first, then filled.
  const size = new Int32Array(A * C);
  for (let e = 0; e < entries; e++) if (count[entryUnit[e]] >= 2) size[entryAnn[e] * C + (entryUnit[e] % C)] += 2;
  const pairs = Array.from(size, (n) => new Float64Array(n));
  const filled = new Int32Array(A * C);
  for (let e = 0; e < entries; e++) {
    const u = entryUnit[e];
    if (count[u] < 2) continue;
    const g = entryAnn[e] * C + (u % C);
    const v = entryValue[e];
    pairs[g][filled[g]++] = v;
    pairs[g][filled[g]++] = (sum[u] - v) / (count[u] - 1);
  }

  const share = (x: { answered: number; correct: number }): CheckCount => ({
    ...x,
    accuracy: x.answered ? x.correct / x.answered : null,
  });
  const flags = annotatorFlags(
    args.annotators.map((ann, a) => ({
      annotatorId: ann.annotatorId,
      activeMs: times[a],
      gold: checks[a].gold,
      attention: checks[a].attention,
      regularRatings: regular[a],
      uniformRatings: uniform[a],
    })),
  );
  return args.annotators.map((ann, a) => ({
    ...ann,
    flags: flags.get(ann.annotatorId) ?? [],
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
function agreementWithOthers(flat: Float64Array): Maybe<{ alpha: number; units: number }> {
  const units = flat.length / 2;
  if (units === 0) return { ok: false, reason: "no output rated by this annotator was also rated by another" };
  if (units < MIN_PAIRABLE_UNITS)
    return {
      ok: false,
      reason: `too few outputs also rated by others: ${units} (need at least ${MIN_PAIRABLE_UNITS})`,
    };
  // Distinct values through small-integer keys: ratings and means of up to 20 ratings are
  // fractions with denominators of at most 20, at least 1/400 apart, so rounding x * 720720
  // never merges two of them and Map lookups stay on integers.
  // One Map lookup per value: codes by first appearance, then renumbered in value order (keys
  // rise with values, so sorting the first-seen values sorts the keys).
  const firstSeen = new Map<number, number>();
  const seenValues: number[] = [];
  const code = new Int32Array(flat.length);
  for (let i = 0; i < flat.length; i++) {
    const k = Math.round(flat[i] * 720720);
    let j = firstSeen.get(k);
    if (j === undefined) {
      j = seenValues.length;
      firstSeen.set(k, j);
      seenValues.push(flat[i]);
    }
    code[i] = j;
  }
  const values = Float64Array.from(seenValues).sort();
  const V = values.length;
  const rank = new Map<number, number>();
  values.forEach((v, i) => rank.set(v, i));
  const sortedOf = Int32Array.from(seenValues, (v) => rank.get(v)!);
  const o = new Float64Array(V * V);
  for (let i = 0; i < flat.length; i += 2) {
    const x = sortedOf[code[i]];
    const y = sortedOf[code[i + 1]];
    o[x * V + y]++;
    o[y * V + x]++;
  }
  const alpha = alphaFromCoincidences(o, values, "interval");
  return Number.isFinite(alpha)
    ? { ok: true, alpha, units }
    : { ok: false, reason: "the ratings do not vary, so agreement is undefined" };
}
