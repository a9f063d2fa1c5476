"""Writes prisma/demo/teacher-outputs.jsonl: the rule-based teacher's paraphrases of the demo
eval set (models/train-student/demo-sources.txt), for the demo study's teacher system.

    /usr/bin/python3 prisma/demo/make-teacher-outputs.py

The teacher (models/train-student/teacher.py) rewrites the structured form of a sentence, not
raw text, so this regenerates the demo sentences exactly as train.py's make_demo does (same
seed, same grammar) and keeps each one's structure. It fails if any demo source is not found.
"""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "models" / "train-student"))
import teacher  # noqa: E402

TRAIN_SEED = 13  # train.py's default --seed; the demo set uses seed + 1000


def demo_sentences(seed: int, n: int):
    """train.py's make_demo, returning the structured sentences as well as their text."""
    rng = random.Random(seed)
    out: list[tuple[str, teacher.Sentence]] = []
    while len(out) < n:
        s = teacher.random_sentence(rng)
        text = teacher.render(s)
        if text in [t for t, _ in out] or len(text.split()) > 16 or (len(out) % 3 == 0 and not s.clause):
            continue
        out.append((text, s))
    return out


def main() -> None:
    sources = [l.strip() for l in (ROOT / "models/train-student/demo-sources.txt").read_text().splitlines() if l.strip()]
    structured = dict(demo_sentences(TRAIN_SEED + 1000, len(sources)))
    lines = []
    for i, src in enumerate(sources):
        if src not in structured:
            sys.exit(f"demo source {i + 1} was not produced by the teacher grammar with seed {TRAIN_SEED + 1000}: {src!r}")
        lines.append(json.dumps({"externalId": f"demo-{i + 1:03d}", "source": src, "outputs": teacher.teacher_paraphrases(structured[src])}))
    out = Path(__file__).with_name("teacher-outputs.jsonl")
    out.write_text("\n".join(lines) + "\n")
    print(f"wrote {len(lines)} items to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
