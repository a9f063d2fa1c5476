"""Train the tiny paraphrase student by sequence-level distillation from the rule-based teacher
and export it to models/paraphrase-student-tiny/ in the Optimum seq2seq ONNX layout.

    /usr/bin/python3 models/train-student/train.py            # full run (a few CPU minutes)
    /usr/bin/python3 models/train-student/train.py --steps 50 --out /tmp/x   # smoke run

Deterministic for a given seed, torch build and thread count.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import time
from pathlib import Path

import torch

import teacher
from decode import GenOptions, generate
from model import ModelConfig, Seq2Seq, count_params, export_onnx, hf_config

HERE = Path(__file__).resolve().parent
PREFIX = "paraphrase: "
SPECIALS = ["<pad>", "</s>", "<unk>"]
PAD, EOS, UNK = 0, 1, 2
WORD_RE = re.compile(r"\w+|[^\w\s]+")  # the Whitespace pre-tokenizer of HF tokenizers


def make_data(seed: int, n_sources: int, demo: list[str]):
    rng = random.Random(seed)
    held_out = set(demo)
    sources: dict[str, list[str]] = {}
    while len(sources) < n_sources:
        s = teacher.random_sentence(rng)
        text = teacher.render(s)
        if text not in held_out and text not in sources:
            sources[text] = teacher.teacher_paraphrases(s)
    return sources


def make_demo(seed: int, n: int) -> list[str]:
    """Demo eval set: same grammar, its own seed, at least a third with an adverbial clause."""
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < n:
        s = teacher.random_sentence(rng)
        text = teacher.render(s)
        if text in out or len(text.split()) > 16 or (len(out) % 3 == 0 and not s.clause):
            continue
        out.append(text)
    return out


class WordTokenizer:
    def __init__(self, texts: list[str]):
        words = sorted({w for t in texts for w in WORD_RE.findall(t)})
        self.vocab = {w: i for i, w in enumerate(SPECIALS + words)}

    def encode(self, text: str) -> list[int]:
        return [self.vocab.get(w, UNK) for w in WORD_RE.findall(text)] + [EOS]

    def to_json(self) -> dict:
        special = lambda tok, i: {"id": i, "content": tok, "single_word": False, "lstrip": False,
                                  "rstrip": False, "normalized": False, "special": True}
        return {
            "version": "1.0", "truncation": None, "padding": None,
            "added_tokens": [special(t, i) for i, t in enumerate(SPECIALS)],
            "normalizer": None,
            "pre_tokenizer": {"type": "Whitespace"},
            "post_processor": {
                "type": "TemplateProcessing",
                "single": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
                "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 0}},
                         {"SpecialToken": {"id": "</s>", "type_id": 0}}],
                "special_tokens": {"</s>": {"id": "</s>", "ids": [EOS], "tokens": ["</s>"]}},
            },
            "decoder": None,
            "model": {"type": "WordLevel", "vocab": self.vocab, "unk_token": "<unk>"},
        }


def pad_batch(seqs: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(s) for s in seqs)
    ids = torch.tensor([s + [PAD] * (width - len(s)) for s in seqs], dtype=torch.long)
    mask = torch.tensor([[1] * len(s) + [0] * (width - len(s)) for s in seqs], dtype=torch.long)
    return ids, mask


def train(model: Seq2Seq, pairs: list[tuple[list[int], list[int]]], args) -> float:
    rng = random.Random(args.seed)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / 200) * max(0.05, 1 - s / args.steps))
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-100, label_smoothing=0.1)
    model.train()
    order: list[int] = []
    ema, t0 = None, time.time()
    for step in range(args.steps):
        if len(order) < args.batch:
            order += rng.sample(range(len(pairs)), len(pairs))
        chunk, order = order[: args.batch], order[args.batch :]
        src, src_mask = pad_batch([pairs[i][0] for i in chunk])
        tgt, _ = pad_batch([[PAD] + pairs[i][1] for i in chunk])  # decoder start = pad, T5 style
        labels = tgt[:, 1:].clone()
        labels[labels == PAD] = -100
        logits = model(src, src_mask, tgt[:, :-1])
        loss = loss_fn(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        ema = loss.item() if ema is None else 0.98 * ema + 0.02 * loss.item()
        if step % 200 == 0 or step == args.steps - 1:
            print(f"step {step} loss {ema:.3f} ({time.time() - t0:.0f}s)", flush=True)
    model.eval()
    return float(ema)


REFERENCE_CASES = [
    ("greedy", GenOptions(max_new_tokens=24)),
    ("greedy-penalties", GenOptions(max_new_tokens=24, no_repeat_ngram_size=2, repetition_penalty=1.3)),
    ("greedy-forced-length", GenOptions(max_new_tokens=20, min_new_tokens=20)),
    ("beam4", GenOptions(max_new_tokens=24, num_beams=4, num_return_sequences=4)),
    ("beam5-lp0.6-early", GenOptions(max_new_tokens=24, num_beams=5, length_penalty=0.6, early_stopping=True,
                                      num_return_sequences=3)),
    ("beam4-never-ngram", GenOptions(max_new_tokens=24, num_beams=4, length_penalty=1.2, early_stopping="never",
                                     no_repeat_ngram_size=3, num_return_sequences=2)),
    ("beam3-short", GenOptions(max_new_tokens=6, num_beams=3, num_return_sequences=3)),
    ("beam4-penalties", GenOptions(max_new_tokens=24, min_new_tokens=8, num_beams=4, no_repeat_ngram_size=2,
                                   repetition_penalty=1.3, num_return_sequences=4)),
    ("diverse4x1", GenOptions(max_new_tokens=24, num_beams=4, num_beam_groups=4, diversity_penalty=1.0,
                              num_return_sequences=4)),
    ("diverse6x3", GenOptions(max_new_tokens=24, num_beams=6, num_beam_groups=3, diversity_penalty=0.5,
                              length_penalty=0.8, repetition_penalty=1.2, num_return_sequences=3)),
]


def reference_decodes(model: Seq2Seq, tok: WordTokenizer, inputs: list[str]) -> dict:
    ids, mask = pad_batch([tok.encode(PREFIX + t) for t in inputs])
    inv = {i: w for w, i in tok.vocab.items()}
    cases = []
    for name, o in REFERENCE_CASES:
        seqs, scores = generate(model, ids, mask, o)
        cases.append({
            "name": name,
            "options": {k: v for k, v in vars(o).items()},
            "sequences": seqs,
            "scores": scores,
            "text": [" ".join(inv[i] for i in s if i > UNK) for s in seqs],
        })
    return {
        "note": "Decoder sequences start with decoder_start_token_id; scores: beam = HF sequences_scores, "
                "greedy = sum of log-softmax of the raw logits of each generated token (to EOS).",
        "inputs": inputs, "prefix": PREFIX, "input_ids": ids.tolist(), "attention_mask": mask.tolist(),
        "cases": cases,
    }


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--sources", type=int, default=12000)
    p.add_argument("--steps", type=int, default=2400)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--threads", type=int, default=1)  # 2 threads ran 4x slower here
    p.add_argument("--out", type=Path, default=HERE.parent / "paraphrase-student-tiny")
    p.add_argument("--references-only", action="store_true",
                   help="rewrite reference-decodes.json from the weights a training run saved in models/.cache")
    args = p.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)

    demo = make_demo(args.seed + 1000, 40)
    data = make_data(args.seed, args.sources, demo)
    texts = [PREFIX + s for s in data] + [t for ps in data.values() for t in ps] + [PREFIX + d for d in demo]
    tok = WordTokenizer(texts)
    pairs = [(tok.encode(PREFIX + s), tok.encode(t)) for s, ps in data.items() for t in ps]
    print(f"{len(data)} sources, {len(pairs)} pairs, vocab {len(tok.vocab)}", flush=True)

    cfg = ModelConfig(vocab_size=len(tok.vocab))
    model = Seq2Seq(cfg)
    cache = HERE.parent / ".cache"  # git-ignored: the torch weights, for debugging and baselines
    if args.references_only:
        model.load_state_dict(torch.load(cache / f"{args.out.name}.pt")["state_dict"])
        model.eval()
        ref = args.out / "reference-decodes.json"
        ref.write_text(json.dumps(reference_decodes(model, tok, demo[:5])))
        manifest = json.loads((args.out / "manifest.json").read_text())
        manifest["files"][ref.name] = ref.stat().st_size
        (args.out / "manifest.json").write_text(json.dumps(manifest, indent=1))
        print(f"wrote {ref}")
        return
    t0 = time.time()
    final_loss = train(model, pairs, args)
    train_seconds = time.time() - t0

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    (HERE / "demo-sources.txt").write_text("\n".join(demo) + "\n")
    export_onnx(model, out)
    cache.mkdir(exist_ok=True)
    torch.save({"config": vars(cfg), "state_dict": model.state_dict()}, cache / f"{out.name}.pt")
    (out / "tokenizer.json").write_text(json.dumps(tok.to_json(), indent=1))
    (out / "tokenizer_config.json").write_text(json.dumps({
        "tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": cfg.max_position_embeddings,
        "pad_token": "<pad>", "eos_token": "</s>", "unk_token": "<unk>", "clean_up_tokenization_spaces": True,
    }, indent=1))
    (out / "config.json").write_text(json.dumps(hf_config(cfg, {
        "prefix": PREFIX, "task_specific_params": {"paraphrase": {"prefix": PREFIX}},
    }), indent=1))
    (out / "generation_config.json").write_text(json.dumps({
        "decoder_start_token_id": PAD, "eos_token_id": EOS, "pad_token_id": PAD, "max_length": 48,
    }, indent=1))
    ref_inputs = demo[:5]
    (out / "reference-decodes.json").write_text(json.dumps(reference_decodes(model, tok, ref_inputs)))
    files = {f.name: f.stat().st_size for f in sorted(out.iterdir()) if f.name != "manifest.json"}
    params = count_params(model)
    (out / "manifest.json").write_text(json.dumps({
        "name": out.name, "kind": "student", "architecture": "pre-LN transformer encoder-decoder (T5-style tied "
        "embeddings, learned positions)", "parameterCount": params["total"], "parameterBreakdown": params,
        "files": files, "seed": args.seed, "torch": torch.__version__, "onnxOpset": 14,
        "training": {
            "method": "sequence-level knowledge distillation from a rule-based teacher (voice change, clause/"
                      "adverbial fronting, synonym lexicon); see models/train-student/teacher.py",
            "sources": len(data), "pairs": len(pairs), "vocabSize": len(tok.vocab), "steps": args.steps,
            "batchSize": args.batch, "finalLoss": round(final_loss, 4), "trainSeconds": round(train_seconds),
            "heldOutDemoSet": "models/train-student/demo-sources.txt",
        },
    }, indent=1))
    print(json.dumps(params), "->", out)
    inv = {i: w for w, i in tok.vocab.items()}
    ids, mask = pad_batch([tok.encode(PREFIX + t) for t in demo[:8]])
    seqs, _ = generate(model, ids, mask, GenOptions(num_beams=4, num_return_sequences=3))
    for i, d in enumerate(demo[:8]):
        print(d)
        for s in seqs[3 * i : 3 * i + 3]:
            print("   ->", " ".join(inv[t] for t in s if t > UNK))


if __name__ == "__main__":
    main()
