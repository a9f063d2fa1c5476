import { describe, expect, it } from "vitest";
import { BeamHypotheses, bestHypotheses } from "./beam-hypotheses";
import { hammingDiversity } from "./diverse-beam-search";
import {
  applyNoRepeatNgram,
  applyRepetitionPenalty,
  applyTopK,
  applyTopP,
  topK,
  topKWithOffsets,
} from "./logits-processors";

const row = (...v: number[]) => Float32Array.from(v);

describe("logits processors", () => {
  it("repetition penalty divides positive and multiplies negative scores of seen tokens once", () => {
    const s = row(2, -2, 1, 4);
    applyRepetitionPenalty(s, [0, 1, 1], 2);
    expect(Array.from(s)).toEqual([1, -4, 1, 4]);
  });

  it("no-repeat-ngram bans the token that would repeat a seen n-gram", () => {
    const s = row(0, 0, 0, 0, 0);
    applyNoRepeatNgram(s, [0, 1, 2, 3, 1, 2], 3); // "1 2" was followed by 3
    expect(Array.from(s)).toEqual([0, 0, 0, -Infinity, 0]);
    const t = row(0, 0, 0, 0);
    applyNoRepeatNgram(t, [0, 1], 3); // too short to repeat a trigram
    expect(Array.from(t)).toEqual([0, 0, 0, 0]);
  });

  it("top-k keeps the k best and top-p the smallest set reaching p", () => {
    const s = row(1, 5, 3, 4);
    applyTopK(s, 2);
    expect(Array.from(s)).toEqual([-Infinity, 5, -Infinity, 4]);
    const p = row(Math.log(0.5), Math.log(0.3), Math.log(0.15), Math.log(0.05));
    applyTopP(p, 0.75);
    expect(p[2]).toBe(-Infinity);
    expect(p[3]).toBe(-Infinity);
    expect(p[1]).toBeGreaterThan(-Infinity);
  });

  it("topKWithOffsets ranks rows shifted by their beam scores, with flat indices", () => {
    const values = row(-1, -2, -3, -0.5, -4, -5); // two rows of width 3
    const r = topKWithOffsets(values, 3, Float32Array.from([0, -1]), 3);
    expect(Array.from(r.indices)).toEqual([0, 3, 1]); // -1, -1.5, -2
    expect(Array.from(r.values)).toEqual([-1, -1.5, -2]);
  });

  it("topK returns the k largest, best first, lower index first on ties", () => {
    const r = topK(row(1, 9, 3, 9, -Infinity, 7), 3);
    expect(Array.from(r.indices)).toEqual([1, 3, 5]);
    expect(Array.from(r.values)).toEqual([9, 9, 7]);
  });

  it("Hamming diversity penalises tokens earlier groups chose for the same input only", () => {
    const hook = hammingDiversity(0.5);
    const current = Int32Array.from([2, 2, 0, 0, 1, 3, 0, 0]); // 2 inputs x 4 beams, groups of 2
    const scores = row(0, 0, 0, 0);
    hook({ scores, current, input: 0, group: 1, groupSize: 2, numBeams: 4 });
    expect(Array.from(scores)).toEqual([0, 0, -1, 0]);
    const other = row(0, 0, 0, 0);
    hook({ scores: other, current, input: 1, group: 1, groupSize: 2, numBeams: 4 });
    expect(Array.from(other)).toEqual([0, -0.5, 0, -0.5]);
  });
});

describe("BeamHypotheses", () => {
  it("keeps the n best length-normalised hypotheses", () => {
    const h = new BeamHypotheses(2, 1, false, 10);
    h.add([0, 5], -1, 2); // -0.5
    h.add([0, 6, 7], -3, 3); // -1
    h.add([0, 8], -0.4, 2); // -0.2 pushes out -1
    expect(bestHypotheses([h], 2).map((x) => x.score)).toEqual([-0.2, -0.5]);
    expect(h.isDone(-10, 5)).toBe(true); // -10/4 cannot beat -0.5
    expect(h.isDone(-1, 5)).toBe(false); // -1/4 could
  });
});
