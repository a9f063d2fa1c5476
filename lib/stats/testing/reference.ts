/** Typed access to reference-values.json (written by reference/make_reference.py), for tests. */
import reference from "../reference/reference-values.json";

export interface WilcoxonExpected {
  statistic: number;
  p: number;
}

export interface CorrelationReference {
  x: number[];
  y: number[];
  pearson: number;
  pearsonP: number;
  spearman: number;
  spearmanP: number;
}

export const referenceValues = reference as unknown as {
  normal: { z: number[]; sf: number[]; p: number[]; ppf: number[] };
  wilcoxon: {
    cases: Record<string, number[]>;
    expected: Record<string, { default: WilcoxonExpected; approx: WilcoxonExpected; exact?: WilcoxonExpected }>;
  };
  signTest: { wins: number; n: number; p: number }[];
  correlation: CorrelationReference;
  correlation30: CorrelationReference;
  studentT: { t: number; df: number; p: number }[];
  logGamma: { x: number; value: number }[];
  quantiles: { data: number[]; p: number[]; values: number[] };
  bradleyTerry: {
    systems: string[];
    wins: [number, number, number][];
    ties: [number, number, number][];
    logStrengths: number[];
  };
  krippendorff: {
    paper2011: {
      coderRows: (number | null)[][];
      published: Record<"nominal" | "ordinal" | "interval" | "ratio", number>;
      alpha: Record<"nominal" | "ordinal" | "interval" | "ratio", number>;
      pairableValues: number;
    };
    likert: { coderRows: (number | null)[][]; alpha: Record<"nominal" | "ordinal" | "interval", number> };
  };
  twoWay: {
    /** Rows [item, annotator, student, teacher]. */
    cases: Record<string, [number, number, number, number][]>;
    expected: Record<string, Record<"difference" | "relative" | "mean", TwoWayExpected>>;
  };
  nonInferiority: {
    margin: number;
    expected: Record<string, { lowerBound: number; upperBound: number; level: number; verdict: string }>;
  };
  plan: {
    input: PlanReferenceInput;
    expected: { items: number; annotators: number; ratings: number; power: number } | null;
  }[];
  spread: { margin: number; teacherMean: number; itemSd: number; residualSd: number; annotatorSd: number };
  moreRatings: {
    input: { estimate: number; lower: number; upper: number; threshold: number; items: number; ratings: number };
    expected: number;
  }[];
};

export interface TwoWayExpected {
  estimate: number;
  lower: number;
  upper: number;
  standardError: number;
  df: number;
}

export interface PlanReferenceInput {
  teacherMean: number;
  expectedRelative: number;
  margin: number;
  itemSd: number;
  residualSd: number;
  annotatorSd: number;
  annotatorsPerItem: number;
  itemsPerAnnotator: number | null;
  comparisons: number;
}

/** Reference rows as clustered observations (channels: student, teacher). */
export function twoWayCase(name: string) {
  const rows = referenceValues.twoWay.cases[name];
  return {
    item: rows.map((r) => r[0]),
    annotator: rows.map((r) => r[1]),
    channels: [rows.map((r) => r[2]), rows.map((r) => r[3])],
  };
}
