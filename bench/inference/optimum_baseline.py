"""Optimum's ORTModelForSeq2SeqLM on an export folder: the baseline a researcher would use instead
of this app. Driven by bench/inference/layouts.ts (never by npm test).

    python3 bench/inference/optimum_baseline.py FOLDER PLAN_JSON

PLAN_JSON: {"inputs": [...], "prefix": "", "num_beams": 4, "num_return_sequences": 4,
"max_new_tokens": 32, "min_new_tokens": 32, "runs": 3, "use_merged": false}. Prints one JSON
line: {"latenciesMs": [...]} or {"skipped": "<why>"}.
"""
from __future__ import annotations

import json
import sys
import time


def main() -> None:
    folder, plan_file = sys.argv[1], sys.argv[2]
    plan = json.loads(open(plan_file, encoding="utf8").read())
    try:
        from optimum.onnxruntime import ORTModelForSeq2SeqLM
        from transformers import AutoTokenizer
    except Exception as e:  # noqa: BLE001 - any import failure means: no baseline here
        print(json.dumps({"skipped": f"optimum-onnx not importable ({type(e).__name__}: {e}); pip install optimum-onnx"}))
        return
    try:
        tok = AutoTokenizer.from_pretrained(folder)
        model = ORTModelForSeq2SeqLM.from_pretrained(folder, use_merged=plan.get("use_merged", False))
        batch = tok([plan.get("prefix", "") + t for t in plan["inputs"]], return_tensors="pt", padding=True)
        kwargs = {k: plan[k] for k in ("num_beams", "num_return_sequences", "max_new_tokens", "min_new_tokens")}
        model.generate(**batch, **kwargs)  # warm-up
        out = []
        for _ in range(plan.get("runs", 3)):
            t0 = time.perf_counter()
            model.generate(**batch, **kwargs)
            out.append((time.perf_counter() - t0) * 1000)
        print(json.dumps({"latenciesMs": out}))
    except Exception as e:  # noqa: BLE001 - report, do not break the bench
        print(json.dumps({"skipped": f"ORTModelForSeq2SeqLM failed: {type(e).__name__}: {e}"}))


if __name__ == "__main__":
    main()
