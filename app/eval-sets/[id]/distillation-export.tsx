"use client";
import { useState } from "react";

type Source = { systemId: string; systemName: string; settingsKey: string; items: number };

/** Builds the two download links (pairs and manifest) for the chosen teacher outputs and filters. */
export function DistillationExport({ evalSetId, sources }: { evalSetId: string; sources: Source[] }) {
  const [choice, setChoice] = useState(0);
  const [minEdit, setMinEdit] = useState("0.1");
  const [maxBleu, setMaxBleu] = useState("");
  if (sources.length === 0) return <p>No teacher outputs yet: generate or import them first.</p>;
  const s = sources[choice];
  const q = new URLSearchParams({
    systemId: s.systemId,
    settingsKey: s.settingsKey,
    minWordEditDistance: minEdit,
    ...(maxBleu ? { maxBleuVsSource: maxBleu } : {}),
  });
  const base = `/api/eval-sets/${evalSetId}/training-pairs`;
  return (
    <form className="stack" aria-label="Export distillation data" onSubmit={(e) => e.preventDefault()}>
      <label>
        Teacher outputs
        <select value={choice} onChange={(e) => setChoice(Number(e.target.value))}>
          {sources.map((o, i) => (
            <option key={`${o.systemId}-${o.settingsKey}`} value={i}>
              {o.systemName} ({o.settingsKey.slice(0, 12)}, {o.items} items)
            </option>
          ))}
        </select>
      </label>
      <label>
        Drop near-copies: minimum word edit distance to the source (0–1)
        <input type="number" step="0.05" min={0} max={1} value={minEdit} onChange={(e) => setMinEdit(e.target.value)} />
      </label>
      <label>
        Drop pairs with BLEU against the source above (0–1, empty for no limit)
        <input type="number" step="0.05" min={0} max={1} value={maxBleu} onChange={(e) => setMaxBleu(e.target.value)} />
      </label>
      <p className="muted">
        Semantic-similarity filtering needs a sentence-embedding model in models/; none is installed, so it is not
        offered.
      </p>
      <p>
        <a className="button" href={`${base}?${q}`} download>
          Download training pairs (JSONL)
        </a>{" "}
        <a className="button secondary" href={`${base}/manifest?${q}`} download>
          Download manifest (JSON)
        </a>
      </p>
    </form>
  );
}
