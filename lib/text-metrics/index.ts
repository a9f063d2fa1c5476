/**
 * Entry file of the automatic paraphrase metrics: pure functions over text, no database.
 * Semantic similarity lives with the embedding model (lib/embeddings), not here.
 */
export { ngramJaccard, selfBleu, sentenceBleu } from "./bleu";
export type { BleuOptions, BleuSmoothing } from "./bleu";
export { correlate, pearson, spearman } from "./correlation";
export type { Correlation, CorrelationMethod } from "./correlation";
export { levenshtein, normalizedEditDistance } from "./edit-distance";
export { analyzeText, computeOutputMetrics, selfBleuOfOutputs } from "./output-metrics";
export type { OutputMetrics, TextAnalysis } from "./output-metrics";
export { posTags, syntacticDiversity } from "./pos-tags";
export { tokenizeWords } from "./tokenize";
export { correlateWithRatings, METRIC_NAMES, metricsForOutputs, summarizeSystemMetrics } from "./system-metrics";
export type { MetricName, SystemMetricsSummary } from "./system-metrics";
export { lexicalDeviation, wordPositionDeviation, type LemmaToken } from "./paraphrase-deviation";
export { lemmaTokens } from "./lemmas";
export {
  normalizedTreeEditDistance,
  parseBracketedLabels,
  pruneTree,
  syntacticTreeDistance,
  treeEditDistance,
  treeSize,
  type Tree,
} from "./tree-edit-distance";
export { parseConstituencies, parserStatus, PARSER_UNAVAILABLE } from "./link-parser";
export { treeDistancesFor, type TreeDistance, type TreeDistances } from "./syntactic-trees";
