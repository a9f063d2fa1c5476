import { BeamHypotheses, bestHypotheses } from "./beam-hypotheses";
import type { TopKStep } from "./decoder-runner";
import type { DecodeInput, DecodeOutput } from "./greedy";
import { processRow, topKFromBest, topKWithOffsets, touchedTokens } from "./logits-processors";

/**
 * Adjusts one group's log-probabilities before the other processors (diverse beam search's
 * Hamming penalty). current: the tokens chosen this step so far, one per row.
 */
export type GroupScoreHook = (args: {
  scores: Float32Array;
  current: Int32Array;
  input: number;
  group: number;
  groupSize: number;
  numBeams: number;
}) => void;

/**
 * Group beam search as transformers runs it; one group is plain beam search. Rows are
 * input-major, numBeams per input, group g holding beams [g*groupSize, (g+1)*groupSize).
 */
export async function groupBeamSearch(d: DecodeInput, numGroups: number, hook?: GroupScoreHook): Promise<DecodeOutput> {
  const { runner, batch, options: o } = d;
  const numBeams = o.numBeams;
  const gs = numBeams / numGroups;
  const rows = batch * numBeams;
  const maxLength = 1 + o.maxNewTokens;
  let ids = Array.from({ length: rows }, () => [d.startId]);
  const beamScores = new Float32Array(rows).fill(-1e9);
  for (let r = 0; r < rows; r += gs) beamScores[r] = 0; // the first beam of every group starts alone
  const hyps = Array.from(
    { length: batch * numGroups },
    () => new BeamHypotheses(gs, o.lengthPenalty, o.earlyStopping, maxLength),
  );
  const isDone = new Array<boolean>(batch * numGroups).fill(false);
  // Plain beam search asks the decoder for each row's best entries (plus the few ids the
  // processors change) instead of whole rows; diverse beam search's penalty can touch any id
  const sparse = numGroups === 1 && !hook;
  const scratch: { row: Float32Array | null } = { row: null };
  while (true) {
    const touched = sparse ? ids.map((row) => touchedTokens(row, o, d.eosId)) : [];
    // 2 * gs candidates per group survive any touched ids; a few more make a proof likelier
    const k = 2 * gs + Math.max(0, ...touched.map((t) => t.length)) + 4;
    const step: TopKStep = sparse ? await runner.stepTopK(ids, k, touched) : await runner.step(ids, "logprobs");
    const v = step.vocabSize;
    let whole: Float32Array | null = step.scores ?? null;
    const current = new Int32Array(rows);
    const reorder = new Int32Array(rows);
    const nextIds: number[][] = new Array(rows);
    const curLen = ids[0].length + 1;
    for (let g = 0; g < numGroups; g++) {
      for (let b = 0; b < batch; b++) {
        const first = b * numBeams + g * gs;
        const bg = b * numGroups + g;
        const chosen: { token: number; score: number; src: number }[] = [];
        if (!isDone[bg]) {
          const offsets = beamScores.subarray(first, first + gs);
          let top = step.top ? fromBest(step.top, first, gs, touched, ids, o, d.eosId, v, offsets, scratch) : null;
          if (!top) {
            whole ??= await runner.rescore();
            for (let i = 0; i < gs; i++) {
              const scores = whole.subarray((first + i) * v, (first + i + 1) * v);
              hook?.({ scores, current, input: b, group: g, groupSize: gs, numBeams });
              processRow(scores, ids[first + i], o, d.eosId);
            }
            top = topKWithOffsets(whole.subarray(first * v, (first + gs) * v), v, offsets, 2 * gs);
          }
          for (let rank = 0; rank < 2 * gs && chosen.length < gs; rank++) {
            const token = top.indices[rank] % v;
            const src = Math.floor(top.indices[rank] / v);
            if (token === d.eosId) {
              // an EOS ranked below the group size is not a candidate
              if (rank >= gs) continue;
              hyps[bg].add(ids[first + src], top.values[rank], curLen - 1);
            } else {
              chosen.push({ token, score: top.values[rank], src });
            }
          }
          isDone[bg] = hyps[bg].isDone(top.values[0], curLen);
        } else {
          for (let i = 0; i < gs; i++) chosen.push({ token: d.padId, score: 0, src: 0 });
        }
        chosen.forEach((c, i) => {
          const row = first + i;
          beamScores[row] = c.score;
          current[row] = c.token;
          reorder[row] = first + c.src;
          nextIds[row] = [...ids[first + c.src], c.token];
        });
      }
    }
    ids = nextIds;
    runner.reorder(reorder);
    if (isDone.every(Boolean) || ids[0].length >= maxLength) break;
  }
  for (let bg = 0; bg < hyps.length; bg++) {
    if (isDone[bg]) continue;
    const b = Math.floor(bg / numGroups);
    const first = b * numBeams + (bg % numGroups) * gs;
    for (let i = 0; i < gs; i++) hyps[bg].add(ids[first + i], beamScores[first + i], ids[first + i].length - 1);
  }
  const out: DecodeOutput = { sequences: [], scores: [] };
  for (let b = 0; b < batch; b++) {
    for (const h of bestHypotheses(hyps.slice(b * numGroups, (b + 1) * numGroups), o.numReturnSequences)) {
      out.sequences.push(h.ids.length < maxLength ? [...h.ids, d.eosId] : h.ids);
      out.scores.push(h.score);
    }
  }
  return out;
}

/**
 * One group's top 2 x gs from the decoder's per-row best entries: the touched ids' scores are
 * processed exactly as processRow would (on a scratch row holding only them); null when the
 * best entries cannot prove the answer.
 */
function fromBest(
  top: NonNullable<TopKStep["top"]>,
  first: number,
  gs: number,
  touched: number[][],
  ids: number[][],
  o: DecodeInput["options"],
  eos: number,
  vocab: number,
  offsets: Float32Array,
  scratch: { row: Float32Array | null },
) {
  if (!scratch.row || scratch.row.length !== vocab) scratch.row = new Float32Array(vocab);
  const row = scratch.row;
  const rows = [];
  for (let i = 0; i < gs; i++) {
    const r = first + i;
    const t = touched[r];
    t.forEach((id, j) => (row[id] = top.gathered[r * top.gatherWidth + j]));
    processRow(row, ids[r], o, eos);
    rows.push({ row: r, touched: t, processed: t.map((id) => row[id]) });
  }
  return topKFromBest({ ids: top.ids, scores: top.scores, perRow: top.perRow }, rows, vocab, offsets, 2 * gs);
}

/** Beam search (num_beams, length_penalty, early_stopping) as generate() with do_sample=False. */
export function beamSearch(d: DecodeInput): Promise<DecodeOutput> {
  return groupBeamSearch(d, 1);
}
