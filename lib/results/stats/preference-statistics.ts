/**
 * Statistics of direct preferences ("which paraphrase is better: left, right or tie").
 *
 * - Student vs teacher: shares of judgments won, tied and lost by the student, with bootstrap
 *   CIs over items (an item's several judgments move together); the sign test is run on items,
 *   each counted by the majority of its judgments (net wins > 0 a win, < 0 a loss, 0 a tie),
 *   because judgments of one item are not independent.
 * - Bradley-Terry over every system compared (students against each other too), ties as half-wins.
 * - Position bias: left vs right choices over all judgments, exact sign test (sides are
 *   randomised per judgment, so a fair annotator pool gives about half).
 * - Agreement: Krippendorff's alpha, nominal, over the three answers per pair.
 */
import type { Interner } from "./aggregate-ratings";
import { bootstrapReplicates, type BootstrapOptions, percentileInterval, sumRows } from "./bootstrap";
import { bradleyTerry, type BradleyTerryFit, type PairwiseComparison } from "./bradley-terry";
import { type AlphaResult, krippendorffAlpha } from "./krippendorff";
import type { ShareWithCI } from "./paired-comparison";
import type { PreferenceRowInput as PreferenceRow } from "./schemas";
import { type SignTestResult, signTest } from "./sign-test";
import { checkPairedItems, type Figure, insufficient, sufficient } from "./sufficiency";

export interface PreferenceComparison {
  items: number;
  judgments: number;
  wins: ShareWithCI;
  ties: ShareWithCI;
  losses: ShareWithCI;
  /** Items by majority of their judgments. */
  itemMajority: { wins: number; ties: number; losses: number };
  signTest: Figure<SignTestResult & { pHolm: number | null }>;
}

export interface PositionBias {
  left: number;
  right: number;
  ties: number;
  /** Share of decisive judgments that chose the left side. */
  leftShare: number;
  signTest: Figure<SignTestResult>;
}

export interface PreferenceStatistics {
  vsTeacher: { studentSystemId: string; criterion: string; result: Figure<PreferenceComparison> }[];
  bradleyTerry: { criterion: string; result: Figure<BradleyTerryFit> }[];
  positionBias: { criterion: string; result: Figure<PositionBias> }[];
  agreement: { criterion: string; level: "nominal"; result: Figure<AlphaResult> }[];
}

function studentVersusTeacher(args: {
  rows: readonly PreferenceRow[];
  student: string;
  teacher: string;
  items: Interner;
  bootstrap: BootstrapOptions;
}): Figure<PreferenceComparison> {
  const { rows, student, teacher, items, bootstrap } = args;
  // Per item (indexed like items, so shared item draws line up): judgments won / tied / lost.
  const I = items.ids.length;
  const won = new Float64Array(I);
  const tied = new Float64Array(I);
  const lost = new Float64Array(I);
  for (const row of rows) {
    const studentLeft = row.leftSystemId === student && row.rightSystemId === teacher;
    const studentRight = row.rightSystemId === student && row.leftSystemId === teacher;
    if (!studentLeft && !studentRight) continue;
    const i = items.index.get(row.itemId)!;
    if (row.choice === "tie") tied[i]++;
    else if ((row.choice === "left") === studentLeft) won[i]++;
    else lost[i]++;
  }
  const majority = { wins: 0, ties: 0, losses: 0 };
  let n = 0;
  for (let i = 0; i < I; i++) {
    if (won[i] + tied[i] + lost[i] === 0) continue;
    n++;
    if (won[i] > lost[i]) majority.wins++;
    else if (won[i] < lost[i]) majority.losses++;
    else majority.ties++;
  }
  const short = checkPairedItems(n);
  if (short) return short;
  const counts = new Float64Array(3 * I);
  for (let i = 0; i < I; i++) {
    counts[3 * i] = won[i];
    counts[3 * i + 1] = tied[i];
    counts[3 * i + 2] = lost[i];
  }
  const sums = new Float64Array(3);
  const { estimates, replicates } = bootstrapReplicates({
    ...bootstrap,
    unitCount: I,
    statisticCount: 3,
    statistic: (indices, out) => {
      sumRows(indices, counts, 3, sums);
      const w = sums[0];
      const t = sums[1];
      const l = sums[2];
      const total = w + t + l;
      out[0] = w / total;
      out[1] = t / total;
      out[2] = l / total;
    },
  });
  const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
  const share = (s: number, count: number): ShareWithCI => {
    const ci = percentileInterval(estimates[s], replicates[s], bootstrap);
    return { count, share: estimates[s], lower: ci.ok ? ci.lower : null, upper: ci.ok ? ci.upper : null };
  };
  const sign = signTest(majority);
  return sufficient({
    items: n,
    judgments: sum(won) + sum(tied) + sum(lost),
    wins: share(0, sum(won)),
    ties: share(1, sum(tied)),
    losses: share(2, sum(lost)),
    itemMajority: majority,
    signTest: sign.ok ? { ...sign, pHolm: null } : sign,
  });
}

function positionBias(rows: readonly PreferenceRow[]): Figure<PositionBias> {
  let left = 0;
  let right = 0;
  let ties = 0;
  for (const row of rows) {
    if (row.choice === "left") left++;
    else if (row.choice === "right") right++;
    else ties++;
  }
  if (left + right === 0) return insufficient("no decisive preferences yet");
  return sufficient({ left, right, ties, leftShare: left / (left + right), signTest: signTest({ wins: left, losses: right, ties }) });
}

function agreement(
  rows: readonly PreferenceRow[],
  systemOrder: Map<string, number>,
  items: Interner,
  bootstrap: BootstrapOptions,
) {
  // Value +1 when the system earlier in display order is preferred, -1 the other, 0 a tie, so
  // the same answer shown on swapped sides agrees. Units of one item resample together.
  const units = new Map<string, number[]>();
  const unitItem = new Map<string, number>();
  for (const row of rows) {
    const leftFirst = (systemOrder.get(row.leftSystemId) ?? 0) <= (systemOrder.get(row.rightSystemId) ?? 0);
    const [first, second] = leftFirst ? [row.leftSystemId, row.rightSystemId] : [row.rightSystemId, row.leftSystemId];
    const key = row.pairId ?? `${row.itemId}\u0000${first}\u0000${second}`;
    const value = row.choice === "tie" ? 0 : (row.choice === "left") === leftFirst ? 1 : -1;
    const list = units.get(key);
    if (list) list.push(value);
    else {
      units.set(key, [value]);
      unitItem.set(key, items.index.get(row.itemId)!);
    }
  }
  return krippendorffAlpha({
    units: [...units.values()],
    level: "nominal",
    bootstrap,
    clusters: { clusterOf: [...unitItem.values()], count: items.ids.length },
  });
}

/**
 * All preference figures. `items` must already hold every item of the preferences; with
 * `bootstrap.resamples` (draws over items) every figure shares the study's item draws.
 */
export function preferenceStatistics(args: {
  preferences: readonly PreferenceRow[];
  systemIds: readonly string[];
  teacherSystemId: string;
  items: Interner;
  bootstrap: BootstrapOptions;
}): PreferenceStatistics {
  const { systemIds, teacherSystemId, items } = args;
  const byCriterion = new Map<string, PreferenceRow[]>();
  for (const row of args.preferences) {
    const criterion = row.criterion ?? "overall";
    const list = byCriterion.get(criterion);
    if (list) list.push(row);
    else byCriterion.set(criterion, [row]);
  }
  const systemOrder = new Map(systemIds.map((id, i) => [id, i]));
  // Every figure resamples the same items with the same draws (shared, or redrawn from one
  // seed), so the figures of one replicate describe one resampled study.
  const bootstrap = args.bootstrap;
  const result: PreferenceStatistics = { vsTeacher: [], bradleyTerry: [], positionBias: [], agreement: [] };
  for (const [criterion, rows] of byCriterion) {
    for (const student of systemIds) {
      if (student === teacherSystemId) continue;
      result.vsTeacher.push({
        studentSystemId: student,
        criterion,
        result: studentVersusTeacher({
          rows,
          student,
          teacher: teacherSystemId,
          items,
          bootstrap: bootstrap,
        }),
      });
    }
    const compared = systemIds.filter((id) => rows.some((r) => r.leftSystemId === id || r.rightSystemId === id));
    const index = new Map(compared.map((id, i) => [id, i]));
    const comparisons: PairwiseComparison[] = rows.map((row) => ({
      unitId: row.itemId,
      a: index.get(row.leftSystemId)!,
      b: index.get(row.rightSystemId)!,
      scoreA: row.choice === "left" ? 1 : row.choice === "right" ? 0 : 0.5,
    }));
    result.bradleyTerry.push({
      criterion,
      result: bradleyTerry({
        systemIds: compared,
        comparisons,
        referenceSystemId: compared.includes(teacherSystemId) ? teacherSystemId : undefined,
        unitIds: items.ids,
        bootstrap: bootstrap,
      }),
    });
    result.positionBias.push({ criterion, result: positionBias(rows) });
    result.agreement.push({ criterion, level: "nominal", result: agreement(rows, systemOrder, items, bootstrap) });
  }
  return result;
}
