/** Entry file of results: dashboards, metrics and exports. Other domains import from here only. */
export { getStudyResults } from "./get-study-results";
export type { StudyResults } from "./get-study-results";
export {
  viewStudyResults,
  refreshStudyResults,
  runResultsJob,
  RESULTS_JOB,
  type ResultsAsOf,
  type ServedResults,
} from "./view-study-results";
export { getSettlingProgress, type SettlingRow } from "./get-settling-progress";
export { moreRatingsText, remainingRatings } from "./settle-text";
export type { AnnotatorSummary } from "./annotator-table";
export type { SystemEfficiency, LatencySummary } from "./efficiency";
export type { Headline } from "./headline";
export type { StudyProgress } from "./progress";
export { ScaleSchema, StudyResultsInput, ExportRatingsInput } from "./schemas";
export type { Scale, ExportFormat, Maybe } from "./schemas";
export { getStudyMetrics, METRICS, MetricsBasisSchema } from "./get-study-metrics";
export type { StudyMetrics, SystemMetrics, MetricKey, MetricAxis, MetricsBasis } from "./get-study-metrics";
export { exportRatings } from "./export-ratings";
export { getRankingSummary } from "./ranking-summary";
export type { RankingSummary } from "./ranking-summary";
export type { RatingExport } from "./export-ratings";
export { exportStudyResults } from "./export-results";
export { getPaperTable, latexEscape, type PaperTableRow } from "./paper-table";
