import { BeamHypotheses, bestHypotheses } from "./beam-hypotheses";
import type { TopKStep } from "./decoder-runner";
import { eosIdsOf, type DecodeInput, type DecodeOutput } from "./greedy";
import { forcedToken, processRow, topKFromBest, topKWithOffsets, touchedTokens } from "./logits-processors";

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
 * Group beam search as transformers' BeamSearchScorer runs it (the algorithm of transformers
 * <= 4.55, which diverse beam search still uses: the Hub's group-beam-search code). Rows are
 * input-major, numBeams per input, group g holding beams [g*groupSize, (g+1)*groupSize).
 */
export async function groupBeamSearch(d: DecodeInput, numGroups: number, hook?: GroupScoreHook): Promise<DecodeOutput> {
  const { runner, batch, options: o } = d;
  const eos = eosIdsOf(d);
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
    // A forced token changes every score of the row: whole rows then
    const forced = forcedToken(ids[0].length, d.forced) !== null;
    const touched = sparse && !forced ? ids.map((row) => touchedTokens(row, o, eos)) : [];
    // 2 * gs candidates per group survive any touched ids; a few more make a proof likelier
    const k = 2 * gs + Math.max(0, ...touched.map((t) => t.length)) + 4;
    const step: TopKStep =
      sparse && !forced ? await runner.stepTopK(ids, k, touched) : await runner.step(ids, "logprobs");
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
          let top = step.top ? fromBest(step.top, first, gs, touched, ids, o, eos, v, offsets, scratch) : null;
          if (!top) {
            whole ??= await runner.rescore();
            for (let i = 0; i < gs; i++) {
              const scores = whole.subarray((first + i) * v, (first + i + 1) * v);
              hook?.({ scores, current, input: b, group: g, groupSize: gs, numBeams });
              processRow(scores, ids[first + i], o, eos, d.forced);
            }
            top = topKWithOffsets(whole.subarray(first * v, (first + gs) * v), v, offsets, 2 * gs);
          }
          for (let rank = 0; rank < 2 * gs && chosen.length < gs; rank++) {
            const token = top.indices[rank] % v;
            const src = Math.floor(top.indices[rank] / v);
            if (eos.includes(token)) {
              // an EOS ranked below the group size is not a candidate
              if (rank >= gs) continue;
              hyps[bg].add(ids[first + src], top.values[rank], curLen - 1, token);
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
      // a hypothesis that ended on EOS is kept without it (BeamSearchScorer's layout)
      const last = h.ids.length < maxLength ? [...h.ids, h.eos ?? d.eosId] : h.ids;
      out.sequences.push(last);
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
  eos: readonly number[],
  vocab: number,
  offsets: Float32Array,
  scratch: { row: Float32Array | null },
  count = 2 * gs,
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
  return topKFromBest({ ids: top.ids, scores: top.scores, perRow: top.perRow }, rows, vocab, offsets, count);
}

type Finished = { score: number; ids: number[] };

/**
 * Beam search (num_beams, length_penalty, early_stopping) as transformers 4.57's generate() runs
 * it with do_sample=False (GenerationMixin._beam_search). At each step the 2 x numBeams best
 * continuations over all beams are ranked; the best numBeams that do not end (EOS, or the length
 * limit) run on; those among the first numBeams that end join the input's finished set (its
 * numBeams best). An input stops gaining finished hypotheses once its finished set is full and
 * its best *running* beam, scored at the current length, cannot beat the worst finished one
 * (BeamSearchScorer, in older releases, compared the best candidate including those that just ended);
 * with early_stopping true, as soon as the set is full. Every input stops on its own, so the
 * output of an input never depends on the others in its batch: it equals generate() on that
 * input alone (transformers' references here are decoded one input at a time).
 */
export async function beamSearch(d: DecodeInput): Promise<DecodeOutput> {
  const { runner, batch, options: o } = d;
  const eos = eosIdsOf(d);
  const nb = o.numBeams;
  const rows = batch * nb;
  const maxLength = 1 + o.maxNewTokens;
  const keep = Math.max(2, 1 + eos.length) * nb;
  let ids = Array.from({ length: rows }, () => [d.startId]);
  const running = new Float32Array(rows).fill(-1e9);
  for (let r = 0; r < rows; r += nb) running[r] = 0; // the first beam of every input starts alone
  const finished: Finished[][] = Array.from({ length: batch }, () => []);
  /** transformers' is_early_stop_heuristic_unsatisfied, per input: once false it stays false. */
  const canImprove = new Array<boolean>(batch).fill(true);
  const isFrozen = (b: number) => !canImprove[b] || (o.earlyStopping === true && finished[b].length === nb);
  const scratch: { row: Float32Array | null } = { row: null };
  while (true) {
    const curLen = ids[0].length;
    const hitsLimit = curLen + 1 >= maxLength;
    const forced = forcedToken(curLen, d.forced) !== null;
    const touched = forced ? [] : ids.map((row) => touchedTokens(row, o, eos));
    const k = keep + Math.max(0, ...touched.map((t) => t.length)) + 4;
    const step: TopKStep = forced ? await runner.step(ids, "logprobs") : await runner.stepTopK(ids, k, touched);
    const v = step.vocabSize;
    let whole: Float32Array | null = step.scores ?? null;
    const reorder = new Int32Array(rows);
    const nextIds: number[][] = new Array(rows);
    for (let b = 0; b < batch; b++) {
      const first = b * nb;
      const next: { token: number; score: number; src: number }[] = [];
      if (isFrozen(b)) {
        // nothing this input does can change its result any more: its rows idle on padding
        for (let i = 0; i < nb; i++) next.push({ token: d.padId, score: running[first + i], src: i });
      } else {
        const offsets = running.subarray(first, first + nb);
        let top = step.top ? fromBest(step.top, first, nb, touched, ids, o, eos, v, offsets, scratch, keep) : null;
        if (!top) {
          whole ??= await runner.rescore();
          for (let i = 0; i < nb; i++)
            processRow(whole.subarray((first + i) * v, (first + i + 1) * v), ids[first + i], o, eos, d.forced);
          top = topKWithOffsets(whole.subarray(first * v, (first + nb) * v), v, offsets, keep);
        }
        // Scores in float32, as torch divides a float32 tensor by the length penalty
        const penalised = (score: number, length: number) =>
          Math.fround(score / Math.fround(length ** o.lengthPenalty));
        const ended: Finished[] = [];
        for (let rank = 0; rank < keep; rank++) {
          const token = top.indices[rank] % v;
          const src = Math.floor(top.indices[rank] / v);
          const ends = hitsLimit || eos.includes(token);
          // only the first numBeams candidates may finish; the rest are spares to keep numBeams running
          if (ends && rank < nb)
            ended.push({ score: penalised(top.values[rank], curLen), ids: [...ids[first + src], token] });
          if (!ends && next.length < nb) next.push({ token, score: top.values[rank], src });
        }
        // Always numBeams running rows (at the length limit every candidate ended: the loop stops)
        while (next.length < nb) next.push({ token: d.padId, score: -1e9, src: 0 });
        // The finished set keeps its numBeams best; on equal scores the earlier ones stay ahead
        finished[b] = [...finished[b], ...ended].sort((x, y) => y.score - x.score).slice(0, nb);
        const worst = finished[b].length === nb ? finished[b][nb - 1].score : -1e9;
        const length = o.earlyStopping === "never" && o.lengthPenalty > 0 ? maxLength - 1 : curLen;
        const best = Math.max(...next.map((c) => c.score));
        canImprove[b] = penalised(best, length) > worst;
      }
      next.forEach((c, i) => {
        running[first + i] = c.score;
        reorder[first + i] = first + c.src;
        nextIds[first + i] = [...ids[first + c.src], c.token];
      });
    }
    ids = nextIds;
    runner.reorder(reorder);
    if (hitsLimit || [...Array(batch).keys()].every(isFrozen)) break;
  }
  const out: DecodeOutput = { sequences: [], scores: [] };
  for (const set of finished) {
    for (const h of set.slice(0, o.numReturnSequences)) {
      out.sequences.push(h.ids);
      out.scores.push(h.score);
    }
  }
  return out;
}
