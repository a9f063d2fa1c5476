/**
 * transformers' BeamHypotheses (>= 4.39): the n best finished hypotheses of one input (or, in
 * group beam search, of one input's group), scored sum_logprobs / generated_len ** length_penalty.
 */
export type EarlyStopping = boolean | "never";
export type Hypothesis = { score: number; ids: number[]; eos?: number };

export class BeamHypotheses {
  readonly beams: Hypothesis[] = [];
  private worstScore = 1e9;

  constructor(
    private readonly numBeams: number,
    private readonly lengthPenalty: number,
    private readonly earlyStopping: EarlyStopping,
    /** 1 + max_new_tokens: decoder start token included. */
    private readonly maxLength: number,
  ) {}

  get size(): number {
    return this.beams.length;
  }

  /** generatedLen counts generated tokens, EOS included when the hypothesis ended on one. */
  add(ids: number[], sumLogprobs: number, generatedLen: number, eos?: number): void {
    const score = sumLogprobs / generatedLen ** this.lengthPenalty;
    if (this.beams.length < this.numBeams || score > this.worstScore) {
      this.beams.push({ score, ids, eos });
      if (this.beams.length > this.numBeams) {
        const ranked = this.beams.map((b, i) => [b.score, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        this.beams.splice(ranked[0][1], 1);
        this.worstScore = ranked[1][0];
      } else {
        this.worstScore = Math.min(score, this.worstScore);
      }
    }
  }

  /** Whether no running beam can still beat the worst kept hypothesis. curLen includes the next token. */
  isDone(bestSumLogprobs: number, curLen: number): boolean {
    if (this.beams.length < this.numBeams) return false;
    if (this.earlyStopping === true) return true;
    const decoderPromptLen = 1;
    const len = this.earlyStopping === false || this.lengthPenalty <= 0 ? curLen : this.maxLength;
    return this.worstScore >= bestSumLogprobs / (len - decoderPromptLen) ** this.lengthPenalty;
  }
}

/** The best `count` hypotheses over several hypothesis sets, best first (generate()'s final pick). */
export function bestHypotheses(sets: BeamHypotheses[], count: number): Hypothesis[] {
  // Stable ascending sort then popping from the end, exactly as transformers does on ties
  const sorted = sets.flatMap((s) => s.beams).sort((a, b) => a.score - b.score);
  const out: Hypothesis[] = [];
  for (let i = 0; i < count && sorted.length > 0; i++) out.push(sorted.pop()!);
  return out;
}
