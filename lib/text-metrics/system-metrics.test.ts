import { describe, expect, it } from "vitest";
import { computeOutputMetrics } from "./output-metrics";
import { correlateWithRatings, metricsForOutputs, summarizeSystemMetrics } from "./system-metrics";

const items = [
  { source: "The boy kicked the ball.", outputs: ["The ball was kicked by the boy.", "The boy kicked the ball."] },
  { source: "She reads a book every night.", outputs: ["Every night she reads a book."] },
];

describe("system metrics", () => {
  it("averages each metric over all outputs", () => {
    const perOutput = metricsForOutputs(items);
    expect(perOutput.map((o) => o.length)).toEqual([2, 1]);
    expect(perOutput[0][1].wordEditDistance).toBe(0);
    const summary = summarizeSystemMetrics(items);
    const all = perOutput.flat();
    expect(summary.outputs).toBe(3);
    expect(summary.means.wordEditDistance).toBeCloseTo((all[0].wordEditDistance + 0 + all[2].wordEditDistance) / 3, 12);
    // Only the first source has two outputs.
    expect(summary.sourcesWithSeveralOutputs).toBe(1);
    expect(summary.selfBleu).toBeGreaterThan(0);
  });

  it("correlates each metric with human ratings and explains when it cannot", () => {
    const sources = [
      "The boy kicked the ball.",
      "A cat sat on the mat.",
      "We went home early.",
      "He sold his old car.",
      "It rained all day long.",
      "They built a small house.",
    ];
    const rows = sources.flatMap((source, i) => [
      { metrics: computeOutputMetrics({ source, output: source }), rating: 1 + (i % 2) * 0.1 },
      {
        metrics: computeOutputMetrics({ source, output: `Honestly, ${source.toLowerCase()} Nobody expected that.` }),
        rating: 4 + (i % 3) * 0.1,
      },
    ]);
    const result = correlateWithRatings(rows);
    const edit = result.find((r) => r.metric === "wordEditDistance")!;
    if (!edit.spearman.ok) throw new Error(edit.spearman.reason);
    // More rewriting, higher lexical-diversity rating.
    expect(edit.spearman.r).toBeGreaterThan(0.8);
    expect(correlateWithRatings(rows.slice(0, 3))[0].pearson.ok).toBe(false);
  });
});
