import type { DecoderRunner } from "./decoder-runner";
import { processRow, type Forced } from "./logits-processors";
import type { GenerationOptions } from "./schemas";

/** What every strategy receives: the decoder for batch x rowsPerInput rows, and the special ids. */
export type DecodeInput = {
  runner: DecoderRunner;
  batch: number;
  options: GenerationOptions;
  startId: number;
  eosId: number;
  padId: number;
  /** Every id that ends a sequence (generation_config's eos_token_id list); [eosId] when unset. */
  eosIds?: readonly number[];
  /** Tokens the model's config forces. */
  forced?: Forced;
};

export const eosIdsOf = (d: DecodeInput): readonly number[] => d.eosIds ?? [d.eosId];

/** batch x numReturnSequences sequences (decoder start token first), input-major, with scores. */
export type DecodeOutput = { sequences: number[][]; scores: number[] };

/** Drops the padding generate() appends to rows that finished before the longest one. */
export function trimAfterEos(ids: number[], eos: number | readonly number[]): number[] {
  const list = typeof eos === "number" ? [eos] : eos;
  const at = ids.findIndex((t, i) => i >= 1 && list.includes(t));
  return at === -1 ? ids : ids.slice(0, at + 1);
}

/** Argmax over processed logits; ties go to the lowest id, as torch.argmax. */
export function argmax(row: Float32Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}

/**
 * The loop greedy search and sampling share: at every step each unfinished row picks one token
 * from its processed logits (`choose`), and its score adds that token's log-probability under
 * the raw logits (generate()'s scores), EOS included.
 */
export async function decodeRowByRow(
  d: DecodeInput,
  rows: number,
  choose: (logits: Float32Array, row: number) => number,
): Promise<DecodeOutput> {
  const { runner, options: o } = d;
  const eos = eosIdsOf(d);
  const ids = Array.from({ length: rows }, () => [d.startId]);
  const isDone = new Array<boolean>(rows).fill(false);
  const totals = new Float64Array(rows);
  for (let step = 0; step < o.maxNewTokens; step++) {
    const { logits, logprobs, vocabSize } = await runner.stepWithLogprobs(ids);
    for (let r = 0; r < rows; r++) {
      if (isDone[r]) {
        ids[r].push(d.padId);
        continue;
      }
      const row = logits.subarray(r * vocabSize, (r + 1) * vocabSize);
      processRow(row, ids[r], o, eos, d.forced);
      const token = choose(row, r);
      totals[r] += logprobs[r * vocabSize + token];
      ids[r].push(token);
      if (eos.includes(token)) isDone[r] = true;
    }
    if (isDone.every(Boolean)) break;
  }
  return { sequences: ids.map((r) => trimAfterEos(r, eos)), scores: Array.from(totals) };
}

/** Greedy search as generate() with num_beams=1, do_sample=False. */
export function greedySearch(d: DecodeInput): Promise<DecodeOutput> {
  return decodeRowByRow(d, d.batch, argmax);
}
