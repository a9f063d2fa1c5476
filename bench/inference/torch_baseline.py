"""Benchmark helper, driven by bench/inference/run.ts (never by npm test).

    /usr/bin/python3 bench/inference/torch_baseline.py build WORK_DIR
        Builds a T5-small-sized encoder-decoder with random weights (d_model 512, 6+6 layers,
        8 heads, d_ff 2048, vocab 32128: ~60M parameters) and exports it through the student's
        export path (models/train-student/model.py) into WORK_DIR/t5-small-random/, plus
        WORK_DIR/matmul.onnx, a single large MatMul for the machine's peak FLOP/s.
    /usr/bin/python3 bench/inference/torch_baseline.py time WORK_DIR PLAN_JSON
        Times PyTorch eager generation (KV cache on, as generate() defaults) for every case of the
        plan and prints one JSON object of latencies.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "models" / "train-student"))

from decode import GenOptions, Stepper, generate, process_scores  # noqa: E402
from model import ModelConfig, Seq2Seq, count_params, export_onnx, hf_config  # noqa: E402

T5_SMALL = dict(vocab_size=32128, d_model=512, num_heads=8, d_ff=2048, num_layers=6, num_decoder_layers=6,
                max_position_embeddings=128, dropout=0.0)
STUDENT_DIR = ROOT / "models" / "paraphrase-student-tiny"


def build(work: Path) -> None:
    torch.manual_seed(0)
    out = work / "t5-small-random"
    out.mkdir(parents=True, exist_ok=True)
    cfg = ModelConfig(**T5_SMALL)
    model = Seq2Seq(cfg).eval()
    export_onnx(model, out)
    torch.save({"config": vars(cfg), "state_dict": model.state_dict()}, work / "t5-small-random.pt")
    # The student's words first, then filler tokens: the bench's sentences tokenize sensibly
    tok = json.loads((STUDENT_DIR / "tokenizer.json").read_text())
    vocab = tok["model"]["vocab"]
    for i in range(len(vocab), cfg.vocab_size):
        vocab[f"tok{i}"] = i
    (out / "tokenizer.json").write_text(json.dumps(tok))
    (out / "tokenizer_config.json").write_text((STUDENT_DIR / "tokenizer_config.json").read_text())
    (out / "generation_config.json").write_text((STUDENT_DIR / "generation_config.json").read_text())
    prefix = {"prefix": "paraphrase: ", "task_specific_params": {"paraphrase": {"prefix": "paraphrase: "}}}
    (out / "config.json").write_text(json.dumps(hf_config(cfg, prefix), indent=1))
    params = count_params(model)
    (out / "manifest.json").write_text(json.dumps({"name": out.name, "kind": "benchmark",
                                                   "parameterCount": params["total"], "parameterBreakdown": params}))
    build_matmul(work / "matmul.onnx", 2048)
    print(json.dumps({"parameters": params["total"], "dir": str(out)}))


def build_matmul(path: Path, n: int) -> None:
    import onnx
    from onnx import TensorProto, helper

    a = helper.make_tensor_value_info("a", TensorProto.FLOAT, [n, n])
    b = helper.make_tensor_value_info("b", TensorProto.FLOAT, [n, n])
    c = helper.make_tensor_value_info("c", TensorProto.FLOAT, [n, n])
    graph = helper.make_graph([helper.make_node("MatMul", ["a", "b"], ["c"])], "matmul", [a, b], [c])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])
    model.ir_version = 7
    onnx.save(model, str(path))


@torch.no_grad()
def sample(model: Seq2Seq, ids, mask, o: GenOptions, seed: int):
    """Multinomial sampling with generate()'s default top_k=50, KV cache on."""
    g = torch.Generator().manual_seed(seed)
    cfg = model.cfg
    rows = o.num_return_sequences
    enc = model.encode(ids, mask).repeat_interleave(rows, 0)
    step = Stepper(model, enc, mask.repeat_interleave(rows, 0), True)
    seqs = torch.full((ids.shape[0] * rows, 1), cfg.decoder_start_token_id, dtype=torch.long)
    for _ in range(o.max_new_tokens):
        scores = process_scores(seqs, step.logits(seqs).float(), o, cfg.eos_token_id)
        kth = torch.topk(scores, 50, dim=-1).values[:, -1:]
        scores = scores.masked_fill(scores < kth, float("-inf"))
        nxt = torch.multinomial(torch.softmax(scores, -1), 1, generator=g)
        seqs = torch.cat([seqs, nxt], 1)
    return seqs


def time_plan(work: Path, plan: dict) -> None:
    torch.set_num_threads(plan.get("threads", 2))
    results = []
    models: dict[str, Seq2Seq] = {}
    for case in plan["cases"]:
        name = case["model"]
        if name not in models:
            ck = torch.load(case["weights"])
            models[name] = Seq2Seq(ModelConfig(**ck["config"])).eval()
            models[name].load_state_dict(ck["state_dict"])
        model = models[name]
        ids = torch.tensor(case["input_ids"], dtype=torch.long)
        mask = torch.tensor(case["attention_mask"], dtype=torch.long)
        o = GenOptions(**case["options"])
        torch.set_num_threads(case.get("threads", plan.get("threads", 2)))
        times = []
        for rep in range(case["warmup"] + case["runs"]):
            t0 = time.perf_counter()
            if case["strategy"] == "sampling":
                sample(model, ids, mask, o, seed=rep)
            else:
                generate(model, ids, mask, o, use_cache=True)
            if rep >= case["warmup"]:
                times.append((time.perf_counter() - t0) * 1000)
        results.append({"id": case["id"], "threads": torch.get_num_threads(), "latenciesMs": times})
        print(f"  torch {case['id']} ({torch.get_num_threads()} threads): {min(times):.0f} ms", file=sys.stderr, flush=True)
    print(json.dumps({"threads": torch.get_num_threads(), "torch": torch.__version__, "results": results}))


if __name__ == "__main__":
    command, work = sys.argv[1], Path(sys.argv[2])
    if command == "build":
        build(work)
    elif command == "time":
        time_plan(work, json.loads(Path(sys.argv[3]).read_text()))
    else:
        raise SystemExit(f"unknown command {command}")
