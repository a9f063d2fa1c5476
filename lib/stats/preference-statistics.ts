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
import { createInterner, intern, type Interner } from "./interner";
import {
  bootstrapReplicates,
  type BootstrapOptions,
  integerLanes,
  percentileInterval,
  sumRows,
  unpackLanes,
} from "./bootstrap";
import { type BradleyTerryFit, bradleyTerryOfUnits } from "./bradley-terry";
import {
  CHOICE_CODE,
  CHOICE_LEFT,
  CHOICE_RIGHT,
  CHOICE_TIE,
  emptyPreferenceColumns,
  type PreferenceColumns,
} from "./columns";
import { type AlphaResult, krippendorffAlphaOfUnits } from "./krippendorff";
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

interface Tally {
  won: Float64Array;
  tied: Float64Array;
  lost: Float64Array;
  majority: { wins: number; ties: number; losses: number };
  n: number;
}

/** Per item (indexed like items, so shared item draws line up): judgments won / tied / lost. */
function tallyVersusTeacher(
  prefs: PreferenceColumns,
  rows: Int32Array,
  student: number,
  teacher: number,
  I: number,
): Tally {
  const won = new Float64Array(I);
  const tied = new Float64Array(I);
  const lost = new Float64Array(I);
  for (const r of rows) {
    const studentLeft = prefs.left[r] === student && prefs.right[r] === teacher;
    const studentRight = prefs.right[r] === student && prefs.left[r] === teacher;
    if (!studentLeft && !studentRight) continue;
    const i = prefs.item[r];
    const choice = prefs.choice[r];
    if (choice === CHOICE_TIE) tied[i]++;
    else if ((choice === CHOICE_LEFT) === studentLeft) won[i]++;
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
  return { won, tied, lost, majority, n };
}

/**
 * Every student against the teacher. Won, tied and lost per item share one double when they
 * fit (integerLanes), and all students' doubles are summed in one pass over the draws, each
 * still in draw order, so the figures are those of one student at a time.
 */
function studentsVersusTeacher(args: {
  prefs: PreferenceColumns;
  rows: Int32Array;
  students: number[];
  teacher: number;
  itemCount: number;
  bootstrap: BootstrapOptions;
}): Figure<PreferenceComparison>[] {
  const I = args.itemCount;
  const tallies = args.students.map((student) => tallyVersusTeacher(args.prefs, args.rows, student, args.teacher, I));
  const results: (Figure<PreferenceComparison> | null)[] = tallies.map((t) => checkPairedItems(t.n));
  const ready = tallies.map((_, j) => j).filter((j) => results[j] === null);
  let most = 0;
  for (const j of ready)
    for (let i = 0; i < I; i++) most = Math.max(most, tallies[j].won[i], tallies[j].tied[i], tallies[j].lost[i]);
  const lanes = integerLanes(3, most * I);
  const F = lanes ? 1 : 3;
  const W = F * ready.length;
  const counts = new Float64Array(W * I);
  ready.forEach((j, b) => {
    const { won, tied, lost } = tallies[j];
    for (let i = 0; i < I; i++) {
      const k = i * W + b * F;
      if (lanes) counts[k] = won[i] * lanes.scale[0] + tied[i] * lanes.scale[1] + lost[i] * lanes.scale[2];
      else {
        counts[k] = won[i];
        counts[k + 1] = tied[i];
        counts[k + 2] = lost[i];
      }
    }
  });
  const sums = new Float64Array(W);
  const split = new Float64Array(3);
  const set = ready.length
    ? bootstrapReplicates({
        ...args.bootstrap,
        unitCount: I,
        statisticCount: 3 * ready.length,
        statistic: (indices, out) => {
          sumRows(indices, counts, W, sums);
          for (let b = 0; b < ready.length; b++) {
            if (lanes) unpackLanes(sums[b], lanes, split);
            else {
              split[0] = sums[3 * b];
              split[1] = sums[3 * b + 1];
              split[2] = sums[3 * b + 2];
            }
            const w = split[0];
            const t = split[1];
            const l = split[2];
            const total = w + t + l;
            out[3 * b] = w / total;
            out[3 * b + 1] = t / total;
            out[3 * b + 2] = l / total;
          }
        },
      })
    : null;
  ready.forEach((j, b) => {
    const { won, tied, lost, majority, n } = tallies[j];
    const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
    const share = (s: number, count: number): ShareWithCI => {
      const ci = percentileInterval(set!.estimates[3 * b + s], set!.replicates[3 * b + s], args.bootstrap);
      return {
        count,
        share: set!.estimates[3 * b + s],
        lower: ci.ok ? ci.lower : null,
        upper: ci.ok ? ci.upper : null,
      };
    };
    const sign = signTest(majority);
    results[j] = sufficient({
      items: n,
      judgments: sum(won) + sum(tied) + sum(lost),
      wins: share(0, sum(won)),
      ties: share(1, sum(tied)),
      losses: share(2, sum(lost)),
      itemMajority: majority,
      signTest: sign.ok ? { ...sign, pHolm: null } : sign,
    });
  });
  return results as Figure<PreferenceComparison>[];
}

function positionBias(prefs: PreferenceColumns, rows: Int32Array): Figure<PositionBias> {
  let left = 0;
  let right = 0;
  let ties = 0;
  for (const r of rows) {
    if (prefs.choice[r] === CHOICE_LEFT) left++;
    else if (prefs.choice[r] === CHOICE_RIGHT) right++;
    else ties++;
  }
  if (left + right === 0) return insufficient("no decisive preferences yet");
  return sufficient({
    left,
    right,
    ties,
    leftShare: left / (left + right),
    signTest: signTest({ wins: left, losses: right, ties }),
  });
}

function agreement(args: {
  prefs: PreferenceColumns;
  rows: Int32Array;
  /** Display rank of each system index (0 for systems outside the display list). */
  systemOrder: Int32Array;
  systemCount: number;
  pairCount: number;
  itemCount: number;
  bootstrap: BootstrapOptions;
}) {
  const { prefs, rows, systemOrder } = args;
  const S = args.systemCount;
  // Value +1 when the system earlier in display order is preferred, -1 the other, 0 a tie, so
  // the same answer shown on swapped sides agrees. Units of one item resample together.
  const unitIndex = new Map<number, number>();
  const rowUnit = new Int32Array(rows.length);
  const unitSize: number[] = [];
  const unitItem: number[] = [];
  const rowValue = new Float64Array(rows.length);
  rows.forEach((r, j) => {
    const left = prefs.left[r];
    const right = prefs.right[r];
    const isLeftFirst = systemOrder[left] <= systemOrder[right];
    const [first, second] = isLeftFirst ? [left, right] : [right, left];
    const key = prefs.pair[r] >= 0 ? prefs.pair[r] : args.pairCount + (prefs.item[r] * S + first) * S + second;
    const choice = prefs.choice[r];
    rowValue[j] = choice === CHOICE_TIE ? 0 : (choice === CHOICE_LEFT) === isLeftFirst ? 1 : -1;
    let unit = unitIndex.get(key);
    if (unit === undefined) {
      unit = unitSize.length;
      unitIndex.set(key, unit);
      unitSize.push(0);
      unitItem.push(prefs.item[r]);
    }
    unitSize[unit]++;
    rowUnit[j] = unit;
  });
  const U = unitSize.length;
  const offsets = new Int32Array(U + 1);
  for (let u = 0; u < U; u++) offsets[u + 1] = offsets[u] + unitSize[u];
  const fill = offsets.slice(0, U);
  const values = new Float64Array(rows.length);
  for (let j = 0; j < rows.length; j++) values[fill[rowUnit[j]]++] = rowValue[j];
  return krippendorffAlphaOfUnits({
    units: { offsets, values },
    level: "nominal",
    bootstrap: args.bootstrap,
    clusters: { clusterOf: unitItem, count: args.itemCount },
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
  const systems = createInterner(args.systemIds);
  const pairs = createInterner();
  const criteria = createInterner();
  const prefs = emptyPreferenceColumns(args.preferences.length);
  args.preferences.forEach((row, r) => {
    prefs.item[r] = args.items.index.get(row.itemId)!;
    prefs.pair[r] = row.pairId === undefined ? -1 : intern(pairs, row.pairId);
    prefs.left[r] = intern(systems, row.leftSystemId);
    prefs.right[r] = intern(systems, row.rightSystemId);
    prefs.choice[r] = CHOICE_CODE[row.choice];
    prefs.criterion[r] = intern(criteria, row.criterion ?? "overall");
  });
  return preferenceStatisticsOfColumns({
    preferences: prefs,
    criteria: criteria.ids,
    systemIds: systems.ids,
    displayedSystems: args.systemIds.length,
    teacher: systems.index.get(args.teacherSystemId) ?? -1,
    pairCount: pairs.ids.length,
    itemCount: args.items.ids.length,
    bootstrap: args.bootstrap,
  });
}

/** The same from preference columns (system indices into systemIds). */
export function preferenceStatisticsOfColumns(args: {
  preferences: PreferenceColumns;
  criteria: readonly string[];
  systemIds: readonly string[];
  /** The first this many systemIds are the display order; the others rank as the first. */
  displayedSystems: number;
  teacher: number;
  pairCount: number;
  itemCount: number;
  bootstrap: BootstrapOptions;
}): PreferenceStatistics {
  const { preferences: prefs, systemIds, teacher, bootstrap } = args;
  const S = systemIds.length;
  const systemOrder = Int32Array.from({ length: S }, (_, s) => (s < args.displayedSystems ? s : 0));
  const rowsOf = args.criteria.map(() => [] as number[]);
  for (let r = 0; r < prefs.length; r++) rowsOf[prefs.criterion[r]].push(r);
  const result: PreferenceStatistics = { vsTeacher: [], bradleyTerry: [], positionBias: [], agreement: [] };
  args.criteria.forEach((criterion, c) => {
    const rows = Int32Array.from(rowsOf[c]);
    const students: number[] = [];
    for (let student = 0; student < args.displayedSystems; student++) if (student !== teacher) students.push(student);
    studentsVersusTeacher({ prefs, rows, students, teacher, itemCount: args.itemCount, bootstrap }).forEach(
      (figure, j) => {
        result.vsTeacher.push({ studentSystemId: systemIds[students[j]], criterion, result: figure });
      },
    );
    const isCompared = new Uint8Array(S);
    for (const r of rows) {
      isCompared[prefs.left[r]] = 1;
      isCompared[prefs.right[r]] = 1;
    }
    // Compared systems in display order (those outside the display list are never compared).
    const compared: number[] = [];
    for (let s = 0; s < args.displayedSystems; s++) if (isCompared[s]) compared.push(s);
    const index = new Int32Array(S).fill(-1);
    compared.forEach((s, i) => (index[s] = i));
    // A judgment involving a system outside the display list has no place in the fit.
    const fitted = rows.filter((r) => index[prefs.left[r]] >= 0 && index[prefs.right[r]] >= 0);
    const a = new Int32Array(fitted.length);
    const b = new Int32Array(fitted.length);
    const scoreA = new Float64Array(fitted.length);
    const unit = new Int32Array(fitted.length);
    fitted.forEach((r, j) => {
      unit[j] = prefs.item[r];
      a[j] = index[prefs.left[r]];
      b[j] = index[prefs.right[r]];
      scoreA[j] = prefs.choice[r] === CHOICE_LEFT ? 1 : prefs.choice[r] === CHOICE_RIGHT ? 0 : 0.5;
    });
    result.bradleyTerry.push({
      criterion,
      result: bradleyTerryOfUnits({
        systemIds: compared.map((s) => systemIds[s]),
        comparisons: { unit, a, b, scoreA },
        referenceSystemId: isCompared[teacher] ? systemIds[teacher] : undefined,
        unitCount: args.itemCount,
        bootstrap,
      }),
    });
    result.positionBias.push({ criterion, result: positionBias(prefs, rows) });
    result.agreement.push({
      criterion,
      level: "nominal",
      result: agreement({
        prefs,
        rows,
        systemOrder,
        systemCount: S,
        pairCount: args.pairCount,
        itemCount: args.itemCount,
        bootstrap,
      }),
    });
  });
  return result;
}
