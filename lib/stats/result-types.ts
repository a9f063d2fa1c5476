/**
 * Output of computeStudyStatistics. Plain JSON: no Maps, no NaN or Infinity (a figure that
 * cannot be computed is { ok: false, reason }), ids as given in the input. Arrays follow the
 * display order of systems and criteria.
 */
import type { BootstrapInterval } from "./bootstrap";
import type { BradleyTerryFit } from "./bradley-terry";
import type { AlphaResult, MeasurementLevel } from "./krippendorff";
import type { PairedComparison } from "./paired-comparison";
import type { PositionBias, PreferenceComparison } from "./preference-statistics";
import type { Figure } from "./sufficiency";
import type { NonInferiority } from "./non-inferiority";
import type { Plan, Spread } from "./power";
import type { Readiness } from "./readiness";

export type {
  BootstrapInterval,
  BradleyTerryFit,
  AlphaResult,
  PairedComparison,
  PositionBias,
  PreferenceComparison,
  Figure,
  NonInferiority,
  Plan,
  Spread,
  Readiness,
};

export interface SystemCriterionSummary {
  /** Items with at least one rating of this system on this criterion. */
  items: number;
  ratings: number;
  /** Over per-item mean ratings (raw scale). */
  mean: number;
  median: number;
  q1: number;
  q3: number;
  sd: number | null;
  /** Bootstrap CI of the mean over items. */
  meanCI: Figure<BootstrapInterval>;
}

export interface StudyStatistics {
  meta: {
    teacherSystemId: string;
    systemIds: string[];
    studentSystemIds: string[];
    criteria: { id: string; label: string; level: MeasurementLevel }[];
    preferenceCriteria: string[];
    counts: { ratings: number; preferences: number; items: number; annotators: number };
    options: {
      bootstrapSamples: number;
      level: number;
      seed: number;
      testScale: "z" | "raw";
      margin: number;
      plannedAnnotatorsPerItem?: number;
      itemsPerAnnotator?: number | null;
    };
    /** How the rating intervals were computed, in words. */
    intervalMethod: string;
    /** Whether the study meets the stated minimums; figures are preliminary until it does. */
    readiness: Readiness;
    /** How p-values were grouped for the Holm adjustment. */
    holmFamilies: string[];
    /** Things a reader should know (constant annotators, ignored rows, ...). */
    warnings: string[];
  };
  descriptives: { systemId: string; criterion: string; result: Figure<SystemCriterionSummary> }[];
  /** Student vs teacher on each rating criterion, paired by item. */
  comparisons: { studentSystemId: string; criterion: string; result: Figure<PairedComparison> }[];
  /** Direct preferences, student vs teacher, per preference criterion. */
  preferences: { studentSystemId: string; criterion: string; result: Figure<PreferenceComparison> }[];
  /** Student vs teacher at the margin: one-sided bounds (Bonferroni over the family) and a verdict. */
  nonInferiority: { studentSystemId: string; criterion: string; result: Figure<NonInferiority> }[];
  /** Items and annotators needed for 80% power at the margin, from the ratings so far. */
  plans: { studentSystemId: string; criterion: string; result: Figure<Plan & { spread: Spread }> }[];
  bradleyTerry: { criterion: string; result: Figure<BradleyTerryFit> }[];
  positionBias: { criterion: string; result: Figure<PositionBias> }[];
  /** Krippendorff's alpha per rating criterion and per preference criterion. */
  agreement: {
    ratings: { criterion: string; level: MeasurementLevel; result: Figure<AlphaResult> }[];
    preferences: { criterion: string; level: "nominal"; result: Figure<AlphaResult> }[];
  };
}
