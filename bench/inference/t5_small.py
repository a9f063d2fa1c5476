"""A T5-small-sized Hugging Face T5 with random weights, exported as optimum-cli's default layout
does, and the Python baselines on it. Driven by bench/inference/t5-small.ts (never by npm test).

    python bench/inference/t5_small.py check
        Prints {"ok": true} when torch, transformers, onnx and onnxruntime import, else why not.
    python bench/inference/t5_small.py build WORK_DIR TOKENIZER_DIR
        T5ForConditionalGeneration(T5Config as t5-small: d_model 512, 6+6 layers, 8 heads, d_ff
        2048, vocab 32128; 60,506,624 parameters), seeded random weights, into
        WORK_DIR/t5-small-hf/ (encoder_model.onnx, decoder_model.onnx, decoder_with_past_model.onnx
        with optimum's input and output names, torch.onnx.export) and WORK_DIR/t5-small-hf-int8/
        (each file through onnxruntime.quantization.quantize_dynamic, QInt8), plus the weights
        (save_pretrained) for the baselines. The tokenizer is TOKENIZER_DIR's (the T5 fixture's
        SentencePiece unigram), its vocabulary padded with filler pieces to 32,128 ids.
    python bench/inference/t5_small.py time WORK_DIR PLAN_JSON
        transformers' generate() and, when importable, Optimum's ORTModelForSeq2SeqLM on the same
        weights and input ids. Prints one JSON line per row.

The export is a plain PyTorch transcription of T5's forward pass (RMS norm, relative position
buckets, unscaled attention, tied head scaled by d_model ** -0.5) on the model's own weights:
tracing transformers' own T5 with its Cache objects bakes the past length into the graph.
`build` checks the exported decoders against transformers' logits before writing anything else.
"""
from __future__ import annotations

import json
import math
import shutil
import sys
import time
from pathlib import Path

T5_SMALL = dict(vocab_size=32128, d_model=512, d_kv=64, d_ff=2048, num_layers=6, num_decoder_layers=6,
                num_heads=8, relative_attention_num_buckets=32, relative_attention_max_distance=128,
                feed_forward_proj="relu", tie_word_embeddings=True, decoder_start_token_id=0,
                pad_token_id=0, eos_token_id=1, dropout_rate=0.0)


def check() -> None:
    try:
        import onnx  # noqa: F401
        import onnxruntime  # noqa: F401
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except Exception as e:  # noqa: BLE001 - any import failure means: skip
        print(json.dumps({"ok": False, "why": f"{type(e).__name__}: {e}"}))
        return
    print(json.dumps({"ok": True}))


def export_modules(model):
    import torch
    from torch import nn

    cfg = model.config
    H, DK, NB, MD = cfg.num_heads, cfg.d_kv, cfg.relative_attention_num_buckets, cfg.relative_attention_max_distance
    NEG = torch.finfo(torch.float32).min

    def rms(x, w):
        return w * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + cfg.layer_norm_epsilon))

    def bucket(rel, bidirectional):
        nb, buckets = NB, torch.zeros_like(rel)
        if bidirectional:
            nb //= 2
            buckets = buckets + (rel > 0).to(torch.long) * nb
            rel = rel.abs()
        else:
            rel = -torch.clamp(rel, max=0)
        exact = nb // 2
        large = exact + (torch.log(rel.float().clamp(min=1) / exact) / math.log(MD / exact) * (nb - exact)).to(torch.long)
        large = torch.clamp(large, max=nb - 1)
        return buckets + torch.where(rel < exact, rel, large)

    def position_bias(emb, q_pos, k_pos, bidirectional):
        b = emb(bucket(k_pos[None, :] - q_pos[:, None], bidirectional))  # (q, k, heads)
        return b.permute(2, 0, 1)[None]

    def heads(x):
        return x.view(x.shape[0], -1, H, DK).transpose(1, 2)

    def attend(attn, x, k, v, bias):
        w = torch.softmax(heads(attn.q(x)) @ k.transpose(-1, -2) + bias, dim=-1)
        out = (w @ v).transpose(1, 2)
        return attn.o(out.reshape(out.shape[0], out.shape[1], H * DK))

    def mask_bias(mask):
        return (1.0 - mask.to(torch.float32))[:, None, None, :] * NEG

    enc, dec = model.encoder, model.decoder

    def encode(input_ids, attention_mask):
        x = model.shared(input_ids)
        t = torch.arange(input_ids.shape[1])
        bias = position_bias(enc.block[0].layer[0].SelfAttention.relative_attention_bias, t, t, True)
        bias = bias + mask_bias(attention_mask)
        for blk in enc.block:
            sa, ff = blk.layer[0], blk.layer[1]
            h = rms(x, sa.layer_norm.weight)
            x = x + attend(sa.SelfAttention, h, heads(sa.SelfAttention.k(h)), heads(sa.SelfAttention.v(h)), bias)
            x = x + ff.DenseReluDense.wo(torch.relu(ff.DenseReluDense.wi(rms(x, ff.layer_norm.weight))))
        return rms(x, enc.final_layer_norm.weight)

    def decode(input_ids, encoder_attention_mask, enc_h=None, past=None):
        t = input_ids.shape[1]
        p = past[0].shape[2] if past is not None else 0
        q_pos = torch.arange(t) + p
        k_pos = torch.arange(t + p) if past is None else torch.arange(past[0].shape[2] + t)
        causal = (k_pos[None, :] > q_pos[:, None]).to(torch.float32)[None, None] * NEG
        bias = position_bias(dec.block[0].layer[0].SelfAttention.relative_attention_bias, q_pos, k_pos, False) + causal
        cross_bias = mask_bias(encoder_attention_mask)
        x = model.shared(input_ids)
        presents = []
        for i, blk in enumerate(dec.block):
            sa, ca, ff = blk.layer[0], blk.layer[1], blk.layer[2]
            h = rms(x, sa.layer_norm.weight)
            k, v = heads(sa.SelfAttention.k(h)), heads(sa.SelfAttention.v(h))
            if past is not None:
                k, v = torch.cat([past[4 * i], k], 2), torch.cat([past[4 * i + 1], v], 2)
                ck, cv = past[4 * i + 2], past[4 * i + 3]
            else:
                ck, cv = heads(ca.EncDecAttention.k(enc_h)), heads(ca.EncDecAttention.v(enc_h))
            x = x + attend(sa.SelfAttention, h, k, v, bias)
            x = x + attend(ca.EncDecAttention, rms(x, ca.layer_norm.weight), ck, cv, cross_bias)
            x = x + ff.DenseReluDense.wo(torch.relu(ff.DenseReluDense.wi(rms(x, ff.layer_norm.weight))))
            presents += [k, v, ck, cv]
        x = rms(x, dec.final_layer_norm.weight) * (cfg.d_model ** -0.5)
        return model.lm_head(x), presents

    class Wrapper(nn.Module):
        def __init__(self):
            super().__init__()
            self.m = model  # the weights belong to the traced module (not constants)

    class Encoder(Wrapper):
        def forward(self, input_ids, attention_mask):
            return encode(input_ids, attention_mask)

    class Decoder(Wrapper):
        def forward(self, input_ids, encoder_attention_mask, encoder_hidden_states):
            logits, presents = decode(input_ids, encoder_attention_mask, enc_h=encoder_hidden_states)
            return (logits, *presents)

    class DecoderWithPast(Wrapper):
        def forward(self, input_ids, encoder_attention_mask, *past):
            logits, presents = decode(input_ids, encoder_attention_mask, past=list(past))
            return (logits, *[x for i, x in enumerate(presents) if i % 4 < 2])

    return Encoder().eval(), Decoder().eval(), DecoderWithPast().eval(), decode, encode


def kv(prefix: str, n: int, encoder: bool) -> list[str]:
    parts = ["decoder.key", "decoder.value"] + (["encoder.key", "encoder.value"] if encoder else [])
    return [f"{prefix}.{i}.{p}" for i in range(n) for p in parts]


def build(work: Path, tokenizer_dir: Path) -> None:
    import numpy as np
    import onnxruntime as ort
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import T5Config, T5ForConditionalGeneration

    torch.manual_seed(0)
    config = T5Config(**T5_SMALL)
    model = T5ForConditionalGeneration(config).eval().requires_grad_(False)
    params = sum(p.numel() for p in model.parameters())
    out = work / "t5-small-hf"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    Encoder, Decoder, DecoderWithPast, decode, encode = export_modules(model)
    n = config.num_decoder_layers
    ids = torch.tensor([[13, 14, 15, 16, 1], [13, 14, 17, 1, 0]])
    mask = (ids != 0).long()
    enc_seq, b = {0: "batch_size", 1: "encoder_sequence_length"}, {0: "batch_size"}
    kwargs = dict(opset_version=17, dynamo=False, do_constant_folding=True)
    with torch.no_grad():
        torch.onnx.export(Encoder, (ids, mask), str(out / "encoder_model.onnx"), input_names=["input_ids", "attention_mask"],
                          output_names=["last_hidden_state"],
                          dynamic_axes={"input_ids": enc_seq, "attention_mask": enc_seq, "last_hidden_state": enc_seq}, **kwargs)
        enc_h = encode(ids, mask)
        dec_ids = torch.tensor([[0, 20, 21], [0, 22, 23]])
        dec_seq = {0: "batch_size", 1: "decoder_sequence_length"}
        present = kv("present", n, True)
        axes = {"input_ids": dec_seq, "encoder_attention_mask": enc_seq, "encoder_hidden_states": enc_seq, "logits": dec_seq}
        for name in present:
            axes[name] = {0: "batch_size", 2: "encoder_sequence_length_out" if ".encoder." in name else "decoder_sequence_length"}
        torch.onnx.export(Decoder, (dec_ids, mask, enc_h), str(out / "decoder_model.onnx"),
                          input_names=["input_ids", "encoder_attention_mask", "encoder_hidden_states"],
                          output_names=["logits", *present], dynamic_axes=axes, **kwargs)
        _, presents = decode(dec_ids, mask, enc_h=enc_h)
        past = kv("past_key_values", n, True)
        out_names = kv("present", n, False)
        axes = {"input_ids": b, "encoder_attention_mask": enc_seq, "logits": b}
        for name in past:
            axes[name] = {0: "batch_size", 2: "encoder_sequence_length_out" if ".encoder." in name else "past_decoder_sequence_length"}
        for name in out_names:
            axes[name] = {0: "batch_size", 2: "past_decoder_sequence_length + 1"}
        torch.onnx.export(DecoderWithPast, (dec_ids[:, -1:], mask, *presents), str(out / "decoder_with_past_model.onnx"),
                          input_names=["input_ids", "encoder_attention_mask", *past], output_names=["logits", *out_names],
                          dynamic_axes=axes, **kwargs)
        # The export must equal transformers' own forward: first step, then a cached step
        ref = model(input_ids=ids, attention_mask=mask, decoder_input_ids=dec_ids).logits.numpy()
        e = ort.InferenceSession(str(out / "encoder_model.onnx"))
        d = ort.InferenceSession(str(out / "decoder_model.onnx"))
        dp = ort.InferenceSession(str(out / "decoder_with_past_model.onnx"))
        h = e.run(None, {"input_ids": ids.numpy(), "attention_mask": mask.numpy()})[0]
        first = d.run(None, {"input_ids": dec_ids[:, :2].numpy(), "encoder_attention_mask": mask.numpy(), "encoder_hidden_states": h})
        feeds = {"input_ids": dec_ids[:, 2:].numpy(), "encoder_attention_mask": mask.numpy()}
        feeds.update(dict(zip(past, first[1:])))
        step = dp.run(None, feeds)[0]
        err = max(float(np.abs(first[0] - ref[:, :2]).max()), float(np.abs(step[:, 0] - ref[:, 2]).max()))
        if err > 1e-3:
            raise SystemExit(f"the export differs from transformers' forward by {err}")
    for f in ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"]:
        if (tokenizer_dir / f).exists():
            shutil.copy(tokenizer_dir / f, out / f)
    tok = json.loads((out / "tokenizer.json").read_text())
    vocab = tok["model"]["vocab"]
    # Filler pieces after the fixture's 260, so every id the random model picks decodes
    vocab += [[f"\u2581w{i}", -100.0] for i in range(len(vocab), config.vocab_size)]
    (out / "tokenizer.json").write_text(json.dumps(tok))
    cfg = config.to_dict()
    cfg.update(architectures=["T5ForConditionalGeneration"], task_specific_params={"paraphrase": {"prefix": "paraphrase: "}})
    (out / "config.json").write_text(json.dumps(cfg, indent=1))
    model.generation_config.save_pretrained(out)
    model.save_pretrained(work / "t5-small-hf-torch")
    q = work / "t5-small-hf-int8"
    if q.exists():
        shutil.rmtree(q)
    shutil.copytree(out, q, ignore=shutil.ignore_patterns("*.onnx"))
    for f in ["encoder_model.onnx", "decoder_model.onnx", "decoder_with_past_model.onnx"]:
        quantize_dynamic(str(out / f), str(q / f), weight_type=QuantType.QInt8)
    print(json.dumps({"parameters": params, "dir": str(out), "maxAbsErr": err}))


def time_plan(work: Path, plan: dict) -> None:
    import torch
    from transformers import T5ForConditionalGeneration

    torch.set_num_threads(plan["threads"])
    ids = torch.tensor(plan["input_ids"])
    mask = torch.tensor(plan["attention_mask"])
    kwargs = dict(num_beams=plan["num_beams"], num_return_sequences=plan["num_return_sequences"],
                  max_new_tokens=plan["max_new_tokens"], min_new_tokens=plan["min_new_tokens"], do_sample=False)

    def timed(gen):
        gen()  # warm-up
        times, seqs = [], None
        for _ in range(plan["runs"]):
            t0 = time.perf_counter()
            seqs = gen()
            times.append((time.perf_counter() - t0) * 1000)
        return times, seqs[:: plan["num_return_sequences"]].tolist()

    model = T5ForConditionalGeneration.from_pretrained(work / "t5-small-hf-torch").eval()
    with torch.no_grad():
        times, top = timed(lambda: model.generate(input_ids=ids, attention_mask=mask, **kwargs))
    print(json.dumps({"row": "transformers", "latenciesMs": times, "top": top}), flush=True)
    try:
        from optimum.onnxruntime import ORTModelForSeq2SeqLM
    except Exception:  # noqa: BLE001 - not installed here
        print(json.dumps({"row": "optimum", "skipped": "optimum not installed (pip install optimum-onnx)"}), flush=True)
        return
    try:
        ort_model = ORTModelForSeq2SeqLM.from_pretrained(work / "t5-small-hf", use_merged=False)
        times, top = timed(lambda: ort_model.generate(input_ids=ids, attention_mask=mask, **kwargs))
        print(json.dumps({"row": "optimum", "latenciesMs": times, "top": top}), flush=True)
    except Exception as e:  # noqa: BLE001 - report, do not break the bench
        print(json.dumps({"row": "optimum", "skipped": f"ORTModelForSeq2SeqLM failed: {type(e).__name__}: {e}"}), flush=True)


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "check":
        check()
    elif cmd == "build":
        build(Path(sys.argv[2]), Path(sys.argv[3]))
    elif cmd == "time":
        time_plan(Path(sys.argv[2]), json.loads(Path(sys.argv[3]).read_text()))
    else:
        raise SystemExit(f"unknown command {cmd}")
