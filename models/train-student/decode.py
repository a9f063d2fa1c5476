"""Independent PyTorch decoding with the semantics of Hugging Face transformers' generate()
(>= 4.39): greedy search, beam search and group (diverse) beam search, with the
repetition-penalty, no-repeat-ngram, min-new-tokens and Hamming-diversity processors.

It writes reference-decodes.json, which the TypeScript runner is tested against, and it is the
PyTorch eager baseline of the benchmark (use_cache=True).
"""
from __future__ import annotations

from dataclasses import dataclass

import torch

from model import Seq2Seq


@dataclass
class GenOptions:
    max_new_tokens: int = 24
    min_new_tokens: int = 0
    num_beams: int = 1
    num_beam_groups: int = 1
    diversity_penalty: float = 0.0
    length_penalty: float = 1.0
    early_stopping: bool | str = False
    no_repeat_ngram_size: int = 0
    repetition_penalty: float = 1.0
    num_return_sequences: int = 1


class Stepper:
    """Next-token logits for the current decoder ids, with or without a KV cache."""

    def __init__(self, model: Seq2Seq, enc_h: torch.Tensor, mask: torch.Tensor, use_cache: bool):
        self.model, self.enc_h, self.mask, self.use_cache = model, enc_h, mask, use_cache
        self.past = None

    def logits(self, ids: torch.Tensor) -> torch.Tensor:
        if not self.use_cache:
            return self.model.decode(ids, self.mask, enc_h=self.enc_h)[0][:, -1, :]
        if self.past is None:
            logits, self.past = self.model.decode(ids, self.mask, enc_h=self.enc_h)
        else:
            logits, self.past = self.model.decode(ids[:, -1:], self.mask, past=self.past)
        return logits[:, -1, :]

    def reorder(self, rows: torch.Tensor) -> None:
        if self.past is not None:
            # cross-attention keys are identical for every beam of one input: keep them
            self.past = [(k.index_select(0, rows), v.index_select(0, rows), ck, cv) for k, v, ck, cv in self.past]


def process_scores(ids: torch.Tensor, scores: torch.Tensor, o: GenOptions, eos: int) -> torch.Tensor:
    """RepetitionPenalty -> NoRepeatNGram -> MinNewTokens, in generate()'s order."""
    scores = scores.clone()
    if o.repetition_penalty != 1.0:
        picked = torch.gather(scores, 1, ids)
        picked = torch.where(picked < 0, picked * o.repetition_penalty, picked / o.repetition_penalty)
        scores.scatter_(1, ids, picked)
    n = o.no_repeat_ngram_size
    if n > 0 and ids.shape[1] + 1 >= n:
        for row in range(ids.shape[0]):
            toks = ids[row].tolist()
            prefix = tuple(toks[len(toks) - n + 1 :]) if n > 1 else ()
            banned = {toks[i + n - 1] for i in range(len(toks) - n + 1) if tuple(toks[i : i + n - 1]) == prefix}
            for t in banned:
                scores[row, t] = float("-inf")
    if ids.shape[1] - 1 < o.min_new_tokens:
        scores[:, eos] = float("-inf")
    return scores


def greedy(step: Stepper, batch: int, o: GenOptions, start: int, eos: int, pad: int):
    ids = torch.full((batch, 1), start, dtype=torch.long)
    done = torch.zeros(batch, dtype=torch.bool)
    total = torch.zeros(batch, dtype=torch.float64)
    while True:
        logits = step.logits(ids).float()
        logprobs = torch.log_softmax(logits, -1)
        nxt = process_scores(ids, logits, o, eos).argmax(-1)
        nxt = torch.where(done, torch.full_like(nxt, pad), nxt)
        total += torch.where(done, torch.zeros_like(total), logprobs.gather(1, nxt[:, None])[:, 0].double())
        ids = torch.cat([ids, nxt[:, None]], 1)
        done |= nxt == eos
        if bool(done.all()) or ids.shape[1] >= 1 + o.max_new_tokens:
            break
    return [r.tolist() for r in ids], total.tolist()


class Hyps:
    def __init__(self, n: int, length_penalty: float, early_stopping, max_length: int):
        self.n, self.lp, self.es, self.max_length = n, length_penalty, early_stopping, max_length
        self.beams: list[tuple[float, list[int]]] = []
        self.worst = 1e9

    def add(self, hyp: list[int], sum_logprobs: float, generated_len: int) -> None:
        score = sum_logprobs / (generated_len**self.lp)
        if len(self.beams) < self.n or score > self.worst:
            self.beams.append((score, hyp))
            if len(self.beams) > self.n:
                ranked = sorted((s, i) for i, (s, _) in enumerate(self.beams))
                del self.beams[ranked[0][1]]
                self.worst = ranked[1][0]
            else:
                self.worst = min(score, self.worst)

    def is_done(self, best_sum_logprobs: float, cur_len: int) -> bool:
        if len(self.beams) < self.n:
            return False
        if self.es is True:
            return True
        if self.es is False or self.lp <= 0:
            return self.worst >= best_sum_logprobs / (cur_len - 1) ** self.lp
        return self.worst >= best_sum_logprobs / (self.max_length - 1) ** self.lp


def beam(step: Stepper, batch: int, o: GenOptions, start: int, eos: int, pad: int):
    nb, groups = o.num_beams, o.num_beam_groups
    gs = nb // groups
    max_length = 1 + o.max_new_tokens
    ids = torch.full((batch * nb, 1), start, dtype=torch.long)
    beam_scores = torch.full((batch, nb), -1e9)
    beam_scores[:, ::gs] = 0
    beam_scores = beam_scores.view(-1)
    hyps = [Hyps(gs, o.length_penalty, o.early_stopping, max_length) for _ in range(batch * groups)]
    done = [False] * (batch * groups)
    while True:
        logits = step.logits(ids).float()
        vocab = logits.shape[-1]
        current = torch.zeros(batch * nb, dtype=torch.long)
        reorder = torch.zeros(batch * nb, dtype=torch.long)
        for g in range(groups):
            rows = torch.tensor([b * nb + i for b in range(batch) for i in range(g * gs, g * gs + gs)])
            group_ids = ids[rows]
            scores = torch.log_softmax(logits[rows], -1)
            if o.diversity_penalty > 0 and g > 0:
                for b in range(batch):
                    freq = torch.bincount(current[b * nb : b * nb + g * gs], minlength=vocab).float()
                    scores[b * gs : (b + 1) * gs] -= o.diversity_penalty * freq
            scores = process_scores(group_ids, scores, o, eos) + beam_scores[rows][:, None]
            top, tok = torch.topk(scores.view(batch, gs * vocab), 2 * gs, dim=1, largest=True, sorted=True)
            src, tok = tok // vocab, tok % vocab
            next_scores = torch.zeros(batch, gs)
            next_tokens = torch.full((batch, gs), pad, dtype=torch.long)
            next_src = torch.zeros(batch, gs, dtype=torch.long)
            cur_len = group_ids.shape[1] + 1
            for b in range(batch):
                bg = b * groups + g
                if done[bg]:
                    continue
                k = 0
                for rank in range(2 * gs):
                    t, s, j = int(tok[b, rank]), float(top[b, rank]), int(src[b, rank])
                    if t == eos:
                        if rank >= gs:
                            continue
                        hyps[bg].add(group_ids[b * gs + j].tolist(), s, cur_len - 1)
                    else:
                        next_scores[b, k], next_tokens[b, k], next_src[b, k] = top[b, rank], t, j
                        k += 1
                    if k == gs:
                        break
                done[bg] = done[bg] or hyps[bg].is_done(float(top[b].max()), cur_len)
            beam_scores[rows] = next_scores.view(-1)
            beam_idx = (next_src + torch.arange(batch)[:, None] * gs).view(-1)
            ids[rows] = group_ids[beam_idx]
            current[rows] = next_tokens.view(-1)
            reorder[rows] = nb * torch.div(beam_idx, gs, rounding_mode="floor") + g * gs + beam_idx % gs
        ids = torch.cat([ids, current[:, None]], 1)
        step.reorder(reorder)
        if all(done) or ids.shape[1] >= max_length:
            break
    for bg, h in enumerate(hyps):
        if done[bg]:
            continue
        for i in range(gs):
            row = bg * gs + i
            h.add(ids[row].tolist(), float(beam_scores[row]), ids.shape[1] - 1)
    out_ids, out_scores = [], []
    for b in range(batch):
        cands = sorted((c for h in hyps[b * groups : (b + 1) * groups] for c in h.beams), key=lambda c: c[0])
        for _ in range(o.num_return_sequences):
            score, hyp = cands.pop()
            out_ids.append(hyp + [eos] if len(hyp) < max_length else hyp)
            out_scores.append(score)
    return out_ids, out_scores


@torch.no_grad()
def generate(model: Seq2Seq, input_ids: torch.Tensor, attention_mask: torch.Tensor, o: GenOptions, use_cache=False):
    """Returns (sequences with the decoder start token, scores) for every input x return."""
    cfg = model.cfg
    assert not model.training, "decode in eval mode: dropout would make every reference random"
    enc_h = model.encode(input_ids, attention_mask)
    batch = input_ids.shape[0]
    if o.num_beams == 1:
        step = Stepper(model, enc_h, attention_mask, use_cache)
        return greedy(step, batch, o, cfg.decoder_start_token_id, cfg.eos_token_id, cfg.pad_token_id)
    enc_h = enc_h.repeat_interleave(o.num_beams, 0)
    mask = attention_mask.repeat_interleave(o.num_beams, 0)
    step = Stepper(model, enc_h, mask, use_cache)
    return beam(step, batch, o, cfg.decoder_start_token_id, cfg.eos_token_id, cfg.pad_token_id)
