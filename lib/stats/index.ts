/**
 * Entry file of the statistics library: pure functions, no database, importing no domain.
 * Everything else imports from here only.
 */
export {
  computeStudyStatistics,
  computeStudyStatisticsOfColumns,
  HOLM_FAMILIES,
  prepareItemDraws,
} from "./compute-study-statistics";
export { CHOICE_LEFT, CHOICE_RIGHT, CHOICE_TIE, emptyPreferenceColumns, emptyRatingColumns } from "./columns";
export type { PreferenceColumns, RatingColumns, StatisticsColumns } from "./columns";
export type * from "./result-types";
export {
  CriterionSchema,
  MeasurementLevelSchema,
  PreferenceRowSchema,
  RatingRowSchema,
  StudyStatisticsInputSchema,
  StudyStatisticsOptionsSchema,
  StudyStatisticsSchema,
} from "./schemas";
export type {
  Criterion,
  PreferenceRow,
  PreferenceRowInput,
  RatingRow,
  StudyStatisticsInput,
  StudyStatisticsInputRaw,
  StudyStatisticsOptions,
  StudyStatisticsOutput,
} from "./schemas";
export {
  bootstrapCI,
  bootstrapMeanCI,
  bootstrapReplicates,
  drawResamples,
  pairedBootstrapCI,
  percentileInterval,
  sumRows,
} from "./bootstrap";
export type { BootstrapInterval, BootstrapOptions, SharedResamples } from "./bootstrap";
export { bradleyTerry } from "./bradley-terry";
export { mean, median, quantile, quantiles, summarize } from "./descriptive";
export { holmAdjust } from "./holm";
export { alphaFromCoincidences, krippendorffAlpha } from "./krippendorff";
export type { MeasurementLevel, ReliabilityMatrix } from "./krippendorff";
export { comparePaired } from "./paired-comparison";
export type { PairedScores } from "./paired-comparison";
export { preferenceStatistics } from "./preference-statistics";
export { syntheticStudy } from "./synthetic-study";
export type { SyntheticStudyOptions } from "./synthetic-study";
export { createRng, deriveSeed } from "./random";
export { createInterner, intern, type Interner } from "./interner";
export { normalQuantile, studentTQuantile, studentTTwoSidedP } from "./distributions";
export { averageRanks } from "./wilcoxon";
export { signTest, signTestFromDifferences } from "./sign-test";
export { insufficient, sufficient, MIN_PAIRABLE_UNITS, MIN_CORRELATION_PAIRS } from "./sufficiency";
export type { Figure, Insufficient } from "./sufficiency";
export { wilcoxonSignedRank } from "./wilcoxon";
export type { WilcoxonMethod, WilcoxonResult } from "./wilcoxon";
export { zScoreByAnnotator } from "./z-score";
export { PAIRED_STATISTICS, twoWayInterval, twoWayVariance } from "./two-way-cluster";
export type { ClusteredInterval, ClusteredObservations, ClusteredVariance } from "./two-way-cluster";
export { nonInferiorityFamily, DEFAULT_MARGIN } from "./non-inferiority";
export type { NonInferiorityVerdict } from "./non-inferiority";
export { additionalRatings, estimateSpread, nonInferiorityPower, planNonInferiority } from "./power";
export type { PlanInput } from "./power";
export { assessReadiness, READINESS_MINIMUMS } from "./readiness";
export { ONE_ANNOTATOR_REASON } from "./two-way-figures";
export { INTERVAL_METHOD } from "./compute-study-statistics";
