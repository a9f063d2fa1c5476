/**
 * Multiply-add counts (x2 = FLOPs) of the decoder calls the runner makes, from the model's
 * shape. Only matrix products are counted (projections, attention scores and mixing, LM head);
 * layer norms, softmax and activations are a rounding error next to them.
 */
export type DecoderShape = { dModel: number; dFf: number; layers: number; vocab: number };

/** FLOPs of one decoder call over `rows` rows: `newTokens` new positions after `past` cached ones. */
export function decoderCallFlops(
  s: DecoderShape,
  o: { rows: number; past: number; newTokens: number; encoderLen: number; computesCrossKv: boolean },
): number {
  const { dModel: d, dFf: f, layers, vocab } = s;
  const t = o.newTokens;
  let perRow = 0;
  // per new token and layer: self q,k,v,o (4 d^2), cross q,o (2 d^2), feed-forward (2 d f)
  perRow += t * layers * (4 * d * d + 2 * d * d + 2 * d * f);
  // self-attention: position i (0-based among new) attends past + i + 1 keys, QK^T and AV
  const keys = t * o.past + (t * (t + 1)) / 2;
  perRow += layers * 2 * d * keys;
  // cross-attention over the encoder positions
  perRow += t * layers * 2 * d * o.encoderLen;
  // cross k,v projections of the encoder states (only when the call has no cache for them)
  if (o.computesCrossKv) perRow += layers * 2 * d * d * o.encoderLen;
  // LM head for every position the call returns logits for
  perRow += t * d * vocab;
  return 2 * o.rows * perRow;
}

/**
 * Decoder FLOPs of generating `newTokens` tokens for `rows` rows. With the cache: one plain call
 * on the start token, then one with-past call per token. Without: the whole prefix every step.
 */
export function generationDecoderFlops(
  s: DecoderShape,
  o: { rows: number; newTokens: number; encoderLen: number; useCache: boolean; firstStepRows?: number },
): number {
  let total = 0;
  for (let step = 0; step < o.newTokens; step++) {
    const len = step + 1; // decoder ids fed at this step (start token included)
    // every row of an input holds the start token at step 0: the runner decodes one per input
    const rows = step === 0 ? (o.firstStepRows ?? o.rows) : o.rows;
    total += o.useCache
      ? decoderCallFlops(s, { rows, past: step, newTokens: 1, encoderLen: o.encoderLen, computesCrossKv: step === 0 })
      : decoderCallFlops(s, { rows, past: 0, newTokens: len, encoderLen: o.encoderLen, computesCrossKv: true });
  }
  return total;
}
