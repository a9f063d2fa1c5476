"""A small pre-LayerNorm transformer encoder-decoder and its Optimum-layout ONNX export.

Kept free of training code so bench/inference/torch_baseline.py can build the T5-small-sized
random model through exactly the same export path.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
from torch import nn

NEG = -1e9  # additive mask value; finite so fully masked rows never produce NaN


@dataclass
class ModelConfig:
    vocab_size: int
    d_model: int = 128
    num_heads: int = 4
    d_ff: int = 256
    num_layers: int = 2  # encoder layers
    num_decoder_layers: int = 2
    max_position_embeddings: int = 64
    dropout: float = 0.1
    pad_token_id: int = 0
    eos_token_id: int = 1
    decoder_start_token_id: int = 0

    @property
    def head_dim(self) -> int:
        return self.d_model // self.num_heads


class Attention(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.h, self.dh = cfg.num_heads, cfg.head_dim
        self.q = nn.Linear(cfg.d_model, cfg.d_model, bias=False)
        self.k = nn.Linear(cfg.d_model, cfg.d_model, bias=False)
        self.v = nn.Linear(cfg.d_model, cfg.d_model, bias=False)
        self.o = nn.Linear(cfg.d_model, cfg.d_model, bias=False)

    def heads(self, x: torch.Tensor) -> torch.Tensor:
        b, t, _ = x.shape
        return x.view(b, t, self.h, self.dh).transpose(1, 2)

    def project_kv(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return self.heads(self.k(x)), self.heads(self.v(x))

    def attend(self, x: torch.Tensor, k: torch.Tensor, v: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        q = self.heads(self.q(x)) / math.sqrt(self.dh)
        w = torch.softmax(q @ k.transpose(-1, -2) + bias, dim=-1)
        out = (w @ v).transpose(1, 2)
        b, t = out.shape[0], out.shape[1]
        return self.o(out.reshape(b, t, self.h * self.dh))


class FeedForward(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.fc1 = nn.Linear(cfg.d_model, cfg.d_ff)
        self.fc2 = nn.Linear(cfg.d_ff, cfg.d_model)
        self.drop = nn.Dropout(cfg.dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(self.drop(torch.relu(self.fc1(x))))


class EncoderLayer(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(cfg.d_model), nn.LayerNorm(cfg.d_model)
        self.attn, self.ff = Attention(cfg), FeedForward(cfg)
        self.drop = nn.Dropout(cfg.dropout)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        h = self.ln1(x)
        k, v = self.attn.project_kv(h)
        x = x + self.drop(self.attn.attend(h, k, v, bias))
        return x + self.drop(self.ff(self.ln2(x)))


class DecoderLayer(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.ln1, self.ln2, self.ln3 = (nn.LayerNorm(cfg.d_model) for _ in range(3))
        self.self_attn, self.cross_attn, self.ff = Attention(cfg), Attention(cfg), FeedForward(cfg)
        self.drop = nn.Dropout(cfg.dropout)

    def forward(self, x, causal_bias, enc_bias, enc_h=None, past=None):
        """past: (self_k, self_v, cross_k, cross_v) or None. Returns x and the new 4-tuple."""
        h = self.ln1(x)
        k, v = self.self_attn.project_kv(h)
        if past is not None:
            k, v = torch.cat([past[0], k], dim=2), torch.cat([past[1], v], dim=2)
            ck, cv = past[2], past[3]
        else:
            ck, cv = self.cross_attn.project_kv(enc_h)
        x = x + self.drop(self.self_attn.attend(h, k, v, causal_bias))
        x = x + self.drop(self.cross_attn.attend(self.ln2(x), ck, cv, enc_bias))
        x = x + self.drop(self.ff(self.ln3(x)))
        return x, (k, v, ck, cv)


class Seq2Seq(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.cfg = cfg
        self.embed = nn.Embedding(cfg.vocab_size, cfg.d_model)
        self.enc_pos = nn.Embedding(cfg.max_position_embeddings, cfg.d_model)
        self.dec_pos = nn.Embedding(cfg.max_position_embeddings, cfg.d_model)
        self.enc_layers = nn.ModuleList(EncoderLayer(cfg) for _ in range(cfg.num_layers))
        self.dec_layers = nn.ModuleList(DecoderLayer(cfg) for _ in range(cfg.num_decoder_layers))
        self.enc_ln, self.dec_ln = nn.LayerNorm(cfg.d_model), nn.LayerNorm(cfg.d_model)
        self.drop = nn.Dropout(cfg.dropout)
        nn.init.normal_(self.embed.weight, std=cfg.d_model**-0.5)

    def encode(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        pos = torch.arange(input_ids.shape[1], device=input_ids.device)
        x = self.drop(self.embed(input_ids) + self.enc_pos(pos)[None])
        bias = enc_bias(attention_mask)
        for layer in self.enc_layers:
            x = layer(x, bias)
        return self.enc_ln(x)

    def decode(self, input_ids, encoder_attention_mask, enc_h=None, past=None):
        """Returns logits (B, T, V) and per-layer (self_k, self_v, cross_k, cross_v)."""
        t = input_ids.shape[1]
        p = past[0][0].shape[2] if past is not None else 0
        q_pos = torch.arange(t, device=input_ids.device) + p
        k_pos = torch.arange(t + p, device=input_ids.device)
        causal = (k_pos[None, :] > q_pos[:, None]).to(torch.float32) * NEG
        x = self.drop(self.embed(input_ids) + self.dec_pos(q_pos)[None])
        e_bias = enc_bias(encoder_attention_mask)
        presents = []
        for i, layer in enumerate(self.dec_layers):
            x, present = layer(x, causal[None, None], e_bias, enc_h, past[i] if past is not None else None)
            presents.append(present)
        logits = self.dec_ln(x) @ self.embed.weight.t()
        return logits, presents

    def forward(self, input_ids, attention_mask, decoder_input_ids):
        enc_h = self.encode(input_ids, attention_mask)
        return self.decode(decoder_input_ids, attention_mask, enc_h)[0]


def enc_bias(mask: torch.Tensor) -> torch.Tensor:
    return (1.0 - mask.to(torch.float32))[:, None, None, :] * NEG


class EncoderExport(nn.Module):
    def __init__(self, m: Seq2Seq):
        super().__init__()
        self.m = m

    def forward(self, input_ids, attention_mask):
        return self.m.encode(input_ids, attention_mask)


class DecoderExport(nn.Module):
    def __init__(self, m: Seq2Seq):
        super().__init__()
        self.m = m

    def forward(self, input_ids, encoder_hidden_states, encoder_attention_mask):
        logits, presents = self.m.decode(input_ids, encoder_attention_mask, enc_h=encoder_hidden_states)
        return (logits, *[x for layer in presents for x in layer])


class DecoderWithPastExport(nn.Module):
    def __init__(self, m: Seq2Seq):
        super().__init__()
        self.m = m

    def forward(self, input_ids, encoder_attention_mask, *flat_past):
        past = [tuple(flat_past[4 * i : 4 * i + 4]) for i in range(len(flat_past) // 4)]
        logits, presents = self.m.decode(input_ids, encoder_attention_mask, past=past)
        return (logits, *[x for layer in presents for x in layer[:2]])


def kv_names(prefix: str, n_layers: int, with_encoder: bool) -> list[str]:
    parts = ["decoder.key", "decoder.value"] + (["encoder.key", "encoder.value"] if with_encoder else [])
    return [f"{prefix}.{i}.{p}" for i in range(n_layers) for p in parts]


def export_onnx(model: Seq2Seq, out_dir: Path, with_past: bool = True) -> None:
    """Writes encoder_model.onnx, decoder_model.onnx and decoder_with_past_model.onnx (opset 14).

    The wrappers are put in eval mode: torch.onnx.export restores each wrapper's own training
    flag afterwards, and a fresh wrapper would switch the wrapped model back to training (dropout).
    """
    model.eval()
    cfg = model.cfg
    n = cfg.num_decoder_layers
    ids = torch.tensor([[5, 6, 7, 1], [5, 6, 1, 0]], dtype=torch.int64)
    mask = (ids != cfg.pad_token_id).to(torch.int64)
    mask[:, 0] = 1
    batch, enc_seq = {0: "batch_size"}, {0: "batch_size", 1: "encoder_sequence_length"}
    with torch.no_grad():
        torch.onnx.export(
            EncoderExport(model).eval(), (ids, mask), str(out_dir / "encoder_model.onnx"), opset_version=14,
            input_names=["input_ids", "attention_mask"], output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": enc_seq, "attention_mask": enc_seq, "last_hidden_state": enc_seq},
        )
        enc_h = model.encode(ids, mask)
        dec_ids = torch.tensor([[0, 8, 9], [0, 8, 10]], dtype=torch.int64)
        dec_seq = {0: "batch_size", 1: "decoder_sequence_length"}
        present_names = kv_names("present", n, True)
        axes = {"input_ids": dec_seq, "encoder_hidden_states": enc_seq, "encoder_attention_mask": enc_seq,
                "logits": dec_seq}
        for name in present_names:
            axes[name] = {0: "batch_size", 2: "encoder_sequence_length" if ".encoder." in name else "decoder_sequence_length"}
        torch.onnx.export(
            DecoderExport(model).eval(), (dec_ids, enc_h, mask), str(out_dir / "decoder_model.onnx"), opset_version=14,
            input_names=["input_ids", "encoder_hidden_states", "encoder_attention_mask"],
            output_names=["logits", *present_names], dynamic_axes=axes,
        )
        if not with_past:
            return
        _, presents = model.decode(dec_ids, mask, enc_h=enc_h)
        flat = [x for layer in presents for x in layer]
        past_names = kv_names("past_key_values", n, True)
        out_names = kv_names("present", n, False)
        axes = {"input_ids": {0: "batch_size"}, "encoder_attention_mask": enc_seq, "logits": {0: "batch_size"}}
        for name in past_names:
            axes[name] = {0: "batch_size", 2: "encoder_sequence_length" if ".encoder." in name else "past_decoder_sequence_length"}
        for name in out_names:
            axes[name] = {0: "batch_size", 2: "past_decoder_sequence_length + 1"}
        torch.onnx.export(
            DecoderWithPastExport(model).eval(), (dec_ids[:, -1:], mask, *flat),
            str(out_dir / "decoder_with_past_model.onnx"), opset_version=14,
            input_names=["input_ids", "encoder_attention_mask", *past_names],
            output_names=["logits", *out_names], dynamic_axes=axes,
        )


def hf_config(cfg: ModelConfig, extra: dict) -> dict:
    """config.json in the Hugging Face shape (names as T5's config uses them)."""
    d = asdict(cfg)
    d.pop("dropout")
    return {
        "architectures": ["PreLNTransformerForConditionalGeneration"],
        "model_type": "paraphrase-tiny-transformer",
        **d,
        "d_kv": cfg.head_dim,
        "num_decoder_layers": cfg.num_decoder_layers,
        "is_encoder_decoder": True,
        "tie_word_embeddings": True,
        "use_cache": True,
        **extra,
    }


def count_params(model: Seq2Seq) -> dict:
    enc = sum(p.numel() for n, p in model.named_parameters() if n.startswith(("embed.", "enc_")))
    dec_only = sum(p.numel() for n, p in model.named_parameters() if n.startswith(("dec_",)))
    total = sum(p.numel() for p in model.parameters())
    return {"total": total, "encoder": enc, "decoder": dec_only + model.embed.weight.numel()}
