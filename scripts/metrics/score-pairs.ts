/**
 * Every automatic metric of each (source, output) pair, offline: the lexical and syntactic
 * metrics of lib/text-metrics, tree edit distance when link-parser is installed, and semantic
 * similarity from the configured sentence encoder (the offline default unless EMBEDDINGS_* say
 * otherwise). Rows are scored in chunks so a long file streams and shows progress.
 */
import { cosineSimilarity, type EmbeddingProvider } from "@/lib/embeddings";
import { bootstrapMeanCI } from "@/lib/stats";
import { analyzeText, computeOutputMetrics, treeDistancesFor } from "@/lib/text-metrics";
import type { PairRow } from "./read-pairs";

export const METRIC_KEYS = [
  "semanticSimilarity",
  "wordEditDistance",
  "lexicalDeviation",
  "bleuVsSource",
  "unigramJaccard",
  "bigramJaccard",
  "wordPositionDeviation",
  "treeEditDistance",
  "treeEditDistanceTop",
  "syntacticDiversity",
  "lengthRatio",
] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];
export type PairMetrics = Record<MetricKey, number | null>;

export interface ScoredRow {
  line: number;
  row: Record<string, unknown>;
  metrics: PairMetrics;
}

export interface ScoreOptions {
  provider: EmbeddingProvider | null;
  /** PATH to look for link-parser in (tests pass an empty one to check the fallback). */
  parserSearchPath?: string;
  chunkSize?: number;
}

/** Scores rows chunk by chunk; `unavailable` collects why a metric has no values. */
export async function* scorePairs(
  rows: readonly PairRow[],
  opts: ScoreOptions,
  unavailable: Map<MetricKey, string> = new Map(),
): AsyncGenerator<ScoredRow[]> {
  if (!opts.provider)
    unavailable.set("semanticSimilarity", "unavailable: no sentence encoder could be loaded (see the message above)");
  const chunkSize = opts.chunkSize ?? 256;
  for (let start = 0; start < rows.length; start += chunkSize) {
    const chunk = rows.slice(start, start + chunkSize);
    const trees = await treeDistancesFor(chunk, { searchPath: opts.parserSearchPath });
    if (!trees.ok) unavailable.set("treeEditDistance", trees.reason).set("treeEditDistanceTop", trees.reason);
    let vectors: Map<string, Float32Array> | null = null;
    if (opts.provider && !unavailable.has("semanticSimilarity")) {
      const texts = [...new Set(chunk.flatMap((r) => [r.source, r.output]))];
      vectors = new Map();
      for (let i = 0; i < texts.length; i += opts.provider.batchSize) {
        const batch = texts.slice(i, i + opts.provider.batchSize);
        const out = await opts.provider.embed(batch);
        batch.forEach((t, j) => vectors!.set(t, out[j]));
      }
    }
    yield chunk.map((r, i) => {
      const m = computeOutputMetrics({ source: analyzeText(r.source), output: r.output });
      const tree = trees.ok ? trees.distances[i] : null;
      return {
        line: r.line,
        row: { ...r.extra, source: r.source, output: r.output },
        metrics: {
          semanticSimilarity: vectors ? cosineSimilarity(vectors.get(r.source)!, vectors.get(r.output)!) : null,
          wordEditDistance: m.wordEditDistance,
          lexicalDeviation: m.lexicalDeviation,
          bleuVsSource: m.bleuVsSource,
          unigramJaccard: m.unigramJaccard,
          bigramJaccard: m.bigramJaccard,
          wordPositionDeviation: m.wordPositionDeviation,
          treeEditDistance: tree?.full ?? null,
          treeEditDistanceTop: tree?.top ?? null,
          syntacticDiversity: m.syntacticDiversity,
          lengthRatio: m.lengthRatio,
        },
      };
    });
  }
}

export interface MetricSummary {
  n: number;
  mean: number | null;
  lower: number | null;
  upper: number | null;
  unavailable?: string;
}

/** Mean of each metric over the rows that have it, with a 95% bootstrap interval. */
export function summarize(
  values: Record<MetricKey, number[]>,
  unavailable: Map<MetricKey, string>,
): Record<MetricKey, MetricSummary> {
  const out = {} as Record<MetricKey, MetricSummary>;
  for (const key of METRIC_KEYS) {
    const xs = values[key];
    const reason = unavailable.get(key);
    if (reason) out[key] = { n: 0, mean: null, lower: null, upper: null, unavailable: reason };
    else if (xs.length === 0) out[key] = { n: 0, mean: null, lower: null, upper: null };
    else {
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      const ci = xs.length >= 2 ? bootstrapMeanCI(xs, { samples: 1000, seed: 13 }) : null;
      out[key] = {
        n: xs.length,
        mean,
        lower: ci?.ok ? ci.lower : null,
        upper: ci?.ok ? ci.upper : null,
      };
    }
  }
  return out;
}
