import type { DecoderRunner } from "./decoder-runner";
import { logSoftmaxRows } from "./log-softmax";
import { processRow } from "./logits-processors";
import type { GenerationOptions } from "./schemas";

/** What every strategy receives: the decoder for batch x rowsPerInput rows, and the special ids. */
export type DecodeInput = {
  runner: DecoderRunner;
  batch: number;
  options: GenerationOptions;
  startId: number;
  eosId: number;
  padId: number;
};

/** batch x numReturnSequences sequences (decoder start token first), input-major, with scores. */
export type DecodeOutput = { sequences: number[][]; scores: number[] };

/** Drops the padding generate() appends to rows that finished before the longest one. */
export function trimAfterEos(ids: number[], eos: number): number[] {
  const at = ids.indexOf(eos, 1);
  return at === -1 ? ids : ids.slice(0, at + 1);
}

/** Argmax over processed logits; ties go to the lowest id, as torch.argmax. */
export function argmax(row: Float32Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}

/**
 * Greedy search as generate() with num_beams=1, do_sample=False. The score of a sequence is the
 * sum of the log-probabilities (before processors) of its generated tokens, EOS included.
 */
export async function greedySearch(d: DecodeInput): Promise<DecodeOutput> {
  const { runner, batch, options: o } = d;
  const ids = Array.from({ length: batch }, () => [d.startId]);
  const isDone = new Array<boolean>(batch).fill(false);
  const totals = new Float64Array(batch);
  for (let step = 0; step < o.maxNewTokens; step++) {
    const { scores: logits, vocabSize } = await runner.step(ids);
    // log-probabilities of the raw logits, for the sequence scores
    const logp = await logSoftmaxRows(logits, batch, vocabSize);
    for (let r = 0; r < batch; r++) {
      if (isDone[r]) {
        ids[r].push(d.padId);
        continue;
      }
      const row = logits.subarray(r * vocabSize, (r + 1) * vocabSize);
      processRow(row, ids[r], o, d.eosId);
      const token = argmax(row);
      totals[r] += logp[r * vocabSize + token];
      ids[r].push(token);
      if (token === d.eosId) isDone[r] = true;
    }
    if (isDone.every(Boolean)) break;
  }
  return { sequences: ids.map((r) => trimAfterEos(r, d.eosId)), scores: Array.from(totals) };
}
