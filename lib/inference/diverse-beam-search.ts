import { groupBeamSearch, type GroupScoreHook } from "./beam-search";
import type { DecodeInput, DecodeOutput } from "./greedy";

/**
 * HammingDiversityLogitsProcessor: within one input, every token already chosen at this step by
 * an earlier group costs diversityPenalty per time it was chosen. Group 0 is left alone.
 */
export function hammingDiversity(diversityPenalty: number): GroupScoreHook {
  return ({ scores, current, input, group, groupSize, numBeams }) => {
    if (group === 0) return;
    const start = input * numBeams;
    const counts = new Map<number, number>();
    for (let r = start; r < start + group * groupSize; r++) counts.set(current[r], (counts.get(current[r]) ?? 0) + 1);
    for (const [token, n] of counts) scores[token] -= diversityPenalty * n;
  };
}

/**
 * Diverse (group) beam search, Vijayakumar et al. 2016, as generate() runs it with
 * num_beam_groups > 1 and diversity_penalty > 0: numBeams / numBeamGroups beams per group, groups
 * decoded one after the other at each step, each penalised for tokens earlier groups just chose.
 */
export function diverseBeamSearch(d: DecodeInput): Promise<DecodeOutput> {
  const { numBeamGroups, numBeams, diversityPenalty } = d.options;
  if (numBeams % numBeamGroups !== 0) {
    throw new Error(`numBeams (${numBeams}) must be divisible by numBeamGroups (${numBeamGroups})`);
  }
  return groupBeamSearch(d, numBeamGroups, hammingDiversity(diversityPenalty));
}
