"use client";
import { useRouter } from "next/navigation";
import { useRef, useState, useTransition } from "react";
import { describeProblem, type EvalSetPreview } from "@/lib/eval-sets/schemas";
import { addOutputsAction, previewAddOutputsAction } from "./add-outputs-actions";

const PREVIEW_ROWS = 20;
type Failure = { message: string; fields?: Record<string, string> };

/** Choose a file of outputs -> the same preview and per-line problems as a new set -> add them to the items with those ids. */
export function AddOutputs({ evalSetId }: { evalSetId: string }) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [preview, setPreview] = useState<EvalSetPreview | null>(null);
  const [error, setError] = useState<Failure | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [pending, start] = useTransition();

  function loadPage(rowOffset: number) {
    const data = new FormData(formRef.current!);
    data.set("rowOffset", String(rowOffset));
    setError(null);
    setDone(null);
    start(async () => {
      const res = await previewAddOutputsAction(data);
      if (res.ok) setPreview(res.data);
      else {
        setPreview(null);
        setError(res.error);
      }
    });
  }

  function onAdd(ev: React.FormEvent<HTMLFormElement>) {
    ev.preventDefault();
    const data = new FormData(ev.currentTarget);
    setError(null);
    start(async () => {
      const res = await addOutputsAction(data);
      if (!res.ok) return setError(res.error);
      const r = res.data;
      setPreview(null);
      setDone(
        `Added ${r.outputsAdded} outputs to ${r.matchedItems} items` +
          (r.outputsAlreadyPresent ? ` (${r.outputsAlreadyPresent} were already there)` : "") +
          (r.droppedLines.length ? `; left out lines ${r.droppedLines.join(", ")}` : "") +
          ".",
      );
      formRef.current?.reset();
      router.refresh();
    });
  }

  const errors = preview?.errorCount ?? 0;
  const firstRow = preview?.rowOffset ?? 0;
  const lastRow = firstRow + (preview?.rows.length ?? 0);
  return (
    <form
      ref={formRef}
      className="stack"
      onSubmit={onAdd}
      aria-label="Add outputs by upload"
      style={{ maxWidth: "none" }}
    >
      <input type="hidden" name="evalSetId" value={evalSetId} />
      <label>
        File with an id column, the source and output:&lt;system&gt; columns
        <input name="file" type="file" accept=".csv,.tsv,.jsonl,.txt" onChange={() => loadPage(0)} required />
      </label>
      {pending && <p role="status">Working…</p>}
      {done && <p role="status">{done}</p>}
      {preview && (
        <div data-testid="add-outputs-preview">
          <p role="status">
            {preview.rowCount} rows; {errors} with errors, {preview.warningCount} warnings.
            {preview.systems.length > 0 && <> Outputs for: {preview.systems.join(", ")}.</>}
          </p>
          {preview.problems.length > 0 && (
            <ul aria-label="Problems" className="problems" style={{ overflowWrap: "anywhere" }}>
              {preview.problems.map((p, i) => (
                <li key={i} className={p.severity === "error" ? "error" : "muted"}>
                  {describeProblem(p)}
                </li>
              ))}
            </ul>
          )}
          <table style={{ tableLayout: "fixed", width: "100%", overflowWrap: "anywhere" }}>
            <caption>
              Rows {preview.rowCount === 0 ? 0 : firstRow + 1}–{lastRow} of {preview.rowCount} as parsed
            </caption>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Id</th>
                <th scope="col">Source</th>
                <th scope="col">Outputs</th>
              </tr>
            </thead>
            <tbody>
              {preview.rows.map((r) => (
                <tr key={r.line}>
                  <td>{r.line}</td>
                  <td>{r.itemId ?? ""}</td>
                  <td>{r.source}</td>
                  <td>
                    {Object.entries(r.outputs)
                      .map(([s, t]) => `${s}: ${t.join(" | ")}`)
                      .join("; ")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {preview.rowCount > preview.rows.length && (
            <p>
              <button
                type="button"
                disabled={pending || firstRow === 0}
                onClick={() => loadPage(firstRow - PREVIEW_ROWS)}
              >
                Previous rows
              </button>{" "}
              <button
                type="button"
                disabled={pending || lastRow >= preview.rowCount}
                onClick={() => loadPage(firstRow + PREVIEW_ROWS)}
              >
                Next rows
              </button>
            </p>
          )}
          {preview.systems.length > 0 && (
            <fieldset>
              <legend>Which systems are the teacher?</legend>
              {preview.systems.map((s) => (
                <label key={s} style={{ display: "flex", gap: "0.5rem", fontWeight: 400 }}>
                  <input type="checkbox" name="teacherSystems" value={s} /> {s}
                </label>
              ))}
            </fieldset>
          )}
          {errors > 0 && (
            <label style={{ display: "flex", gap: "0.5rem", fontWeight: 400 }}>
              <input type="checkbox" name="dropBadRows" /> Leave out the {errors} rows with errors and add the rest
            </label>
          )}
          <button type="submit" disabled={pending}>
            Add outputs
          </button>
        </div>
      )}
      {error && (
        <div role="alert" className="error">
          <p>{error.message}</p>
          {error.fields && (
            <ul style={{ overflowWrap: "anywhere" }}>
              {Object.entries(error.fields).map(([k, v]) => (
                <li key={k}>
                  {k}: {v}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </form>
  );
}
