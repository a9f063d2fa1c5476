"use client";
import { useState } from "react";

type Source = { systemId: string; systemName: string; settingsKey: string; label: string; items: number };

/** A threshold the export API accepts: empty, or a number from 0 to 1. Null when fine, else what to fix. */
export function thresholdProblem(name: string, value: string): string | null {
  if (value.trim() === "") return null;
  const x = Number(value);
  if (!Number.isFinite(x)) return `${name} must be a number from 0 to 1 (got "${value}").`;
  if (x < 0 || x > 1) return `${name} must be from 0 to 1; ${value} is outside that range.`;
  return null;
}

/** Builds the two download links (pairs and manifest) for the chosen teacher outputs and filters. */
export function DistillationExport({ evalSetId, sources }: { evalSetId: string; sources: Source[] }) {
  const [choice, setChoice] = useState(0);
  const [minEdit, setMinEdit] = useState("0.1");
  const [maxBleu, setMaxBleu] = useState("");
  const [minSim, setMinSim] = useState("");
  if (sources.length === 0) return <p>No teacher outputs yet: generate or import them first.</p>;
  const s = sources[choice];
  const problems = [
    thresholdProblem("The minimum word edit distance", minEdit),
    thresholdProblem("The BLEU ceiling", maxBleu),
    thresholdProblem("The minimum semantic similarity", minSim),
  ].filter((p): p is string => p !== null);
  const q = new URLSearchParams({
    systemId: s.systemId,
    settingsKey: s.settingsKey,
    minWordEditDistance: minEdit,
    ...(maxBleu ? { maxBleuVsSource: maxBleu } : {}),
    ...(minSim ? { minSemanticSimilarity: minSim } : {}),
  });
  const base = `/api/eval-sets/${evalSetId}/training-pairs`;
  return (
    <form className="stack" aria-label="Export distillation data" onSubmit={(e) => e.preventDefault()}>
      <label>
        Teacher outputs
        <select value={choice} onChange={(e) => setChoice(Number(e.target.value))}>
          {sources.map((o, i) => (
            <option key={`${o.systemId}-${o.settingsKey}`} value={i}>
              {o.label} ({o.items} items)
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
      <label>
        Drop pairs whose semantic similarity to the source is below (0–1, empty for no limit; computed by a background
        job the first time)
        <input type="number" step="0.05" min={0} max={1} value={minSim} onChange={(e) => setMinSim(e.target.value)} />
      </label>
      {problems.length > 0 ? (
        <div role="alert" className="error">
          {problems.map((p) => (
            <p key={p}>{p}</p>
          ))}
        </div>
      ) : (
        <p>
          {/* No `download` attribute: the route's Content-Disposition saves the file, and a refusal
              (e.g. a filter the server cannot apply yet) opens as a readable page instead of a
              download that fails without a word */}
          <a className="button" href={`${base}?${q}`}>
            Download training pairs (JSONL)
          </a>{" "}
          <a className="button secondary" href={`${base}/manifest?${q}`}>
            Download manifest (JSON)
          </a>
        </p>
      )}
    </form>
  );
}
