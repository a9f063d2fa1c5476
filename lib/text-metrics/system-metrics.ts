/**
 * Metrics of one system over an eval set, and their agreement with human ratings.
 * - summarizeSystemMetrics: the mean of each per-output metric over all outputs, and mean
 *   self-BLEU over the sources that have two or more outputs (null when none has).
 * - correlateWithRatings: Pearson and Spearman of each metric against a human score per output
 *   (e.g. the output's mean lexical-diversity rating), to see which metric tracks people.
 */
import { type Correlation, correlate } from "./correlation";
import { analyzeText, computeOutputMetrics, type OutputMetrics, selfBleuOfOutputs } from "./output-metrics";
import type { Figure } from "@/lib/stats";

export const METRIC_NAMES = [
  "wordEditDistance",
  "bleuVsSource",
  "unigramJaccard",
  "bigramJaccard",
  "syntacticDiversity",
  "lengthRatio",
  "wordPositionDeviation",
  "lexicalDeviation",
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export interface SystemMetricsSummary {
  outputs: number;
  /** Mean of each metric over outputs (lengthRatio over outputs with a non-empty source). */
  means: Record<MetricName, number | null>;
  /** Mean self-BLEU over sources with at least two outputs. */
  selfBleu: number | null;
  sourcesWithSeveralOutputs: number;
}

/** Per-output metrics of every output, in input order, with each source analysed once. */
export function metricsForOutputs(items: readonly { source: string; outputs: readonly string[] }[]): OutputMetrics[][] {
  return items.map(({ source, outputs }) => {
    const analysed = analyzeText(source);
    return outputs.map((output) => computeOutputMetrics({ source: analysed, output }));
  });
}

export function summarizeSystemMetrics(
  items: readonly { source: string; outputs: readonly string[] }[],
): SystemMetricsSummary {
  const perOutput = metricsForOutputs(items).flat();
  const means = {} as Record<MetricName, number | null>;
  for (const name of METRIC_NAMES) {
    const values = perOutput.map((m) => m[name]).filter((v): v is number => v !== null);
    means[name] = values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
  }
  const selfBleus = items.map((item) => selfBleuOfOutputs(item.outputs)).filter((v): v is number => v !== null);
  return {
    outputs: perOutput.length,
    means,
    selfBleu: selfBleus.length ? selfBleus.reduce((a, b) => a + b, 0) / selfBleus.length : null,
    sourcesWithSeveralOutputs: selfBleus.length,
  };
}

/** Pearson and Spearman correlation of each metric with a human score, over outputs. */
export function correlateWithRatings(
  rows: readonly { metrics: OutputMetrics; rating: number }[],
): { metric: MetricName; pearson: Figure<Correlation>; spearman: Figure<Correlation> }[] {
  const ratings = rows.map((r) => r.rating);
  return METRIC_NAMES.map((metric) => {
    const values = rows.map((r) => r.metrics[metric] ?? NaN);
    return {
      metric,
      pearson: correlate({ x: values, y: ratings, method: "pearson" }),
      spearman: correlate({ x: values, y: ratings, method: "spearman" }),
    };
  });
}
