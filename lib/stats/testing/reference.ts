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
};
