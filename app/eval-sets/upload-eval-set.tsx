"use client";
import { useRouter } from "next/navigation";
import { useRef, useState, useTransition } from "react";
import type { EvalSetPreview } from "@/lib/eval-sets/schemas";
import { importUploadAction, previewUploadAction } from "./actions";

/** Choose a file -> see the preview with every problem -> import (all or nothing, or drop bad rows). */
export function UploadEvalSet({ maxFileBytes, limitLabel }: { maxFileBytes: number; limitLabel: string }) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [preview, setPreview] = useState<EvalSetPreview | null>(null);
  const [error, setError] = useState<{ message: string; fields?: Record<string, string> } | null>(null);
  const [pending, start] = useTransition();

  // A file over the limit is refused here, before it is sent: a body far past the limit would be
  // cut off by the server before the upload action could say why.
  function tooLarge(form: HTMLFormElement): boolean {
    const file = (form.elements.namedItem("file") as HTMLInputElement | null)?.files?.[0];
    if (!file || file.size <= maxFileBytes) return false;
    const size = `${(file.size / (1024 * 1024)).toFixed(1)} MB`;
    setError({ message: `The file is ${size}; the limit is ${limitLabel}. Split it into smaller files.` });
    return true;
  }

  function onFile() {
    const form = formRef.current!;
    setError(null);
    setPreview(null);
    if (tooLarge(form)) return;
    start(async () => {
      const res = await previewUploadAction(new FormData(form));
      if (res.ok) setPreview(res.data);
      else setError(res.error);
    });
  }

  function onImport(ev: React.FormEvent<HTMLFormElement>) {
    ev.preventDefault();
    setError(null);
    if (tooLarge(ev.currentTarget)) return;
    start(async () => {
      const res = await importUploadAction(new FormData(ev.currentTarget));
      if (res.ok) router.push(`/eval-sets/${res.data.evalSetId}`);
      else setError(res.error);
    });
  }

  const errors = preview?.errorCount ?? 0;
  return (
    <form
      ref={formRef}
      className="stack"
      onSubmit={onImport}
      aria-label="Upload an eval set"
      style={{ maxWidth: "none" }}
    >
      <label>
        File
        <input
          name="file"
          type="file"
          accept=".csv,.tsv,.jsonl,.txt,text/csv,text/tab-separated-values"
          onChange={onFile}
          required
        />
      </label>
      {pending && <p role="status">Working…</p>}
      {preview && (
        <div data-testid="upload-preview">
          <p role="status">
            {preview.rowCount} rows ({preview.format?.toUpperCase()}); {errors} with errors, {preview.warningCount}{" "}
            warnings.
            {preview.systems.length > 0 && <> Outputs for: {preview.systems.join(", ")}.</>}
          </p>
          {preview.problems.length > 0 && (
            <ul aria-label="Problems" className="problems">
              {preview.problems.slice(0, 200).map((p, i) => (
                <li key={i} className={p.severity === "error" ? "error" : "muted"}>
                  {p.line ? `Line ${p.line}: ` : ""}
                  {p.message}
                </li>
              ))}
            </ul>
          )}
          <table>
            <caption>First rows as parsed</caption>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Id</th>
                <th scope="col">Source</th>
                <th scope="col">References</th>
                <th scope="col">Outputs</th>
              </tr>
            </thead>
            <tbody>
              {preview.rows.map((r) => (
                <tr key={r.line}>
                  <td>{r.line}</td>
                  <td>{r.itemId ?? ""}</td>
                  <td>{r.source}</td>
                  <td>{r.references.join(" | ")}</td>
                  <td>
                    {Object.entries(r.outputs)
                      .map(([s, t]) => `${s}: ${t.join(" | ")}`)
                      .join("; ")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <label>
            Name
            <input name="name" required maxLength={200} />
          </label>
          <label>
            Description
            <input name="description" maxLength={2000} />
          </label>
          {preview.systems.length > 0 && (
            <fieldset>
              <legend>Which imported systems are the teacher?</legend>
              {preview.systems.map((s) => (
                <label key={s} style={{ display: "flex", gap: "0.5rem", fontWeight: 400 }}>
                  <input type="checkbox" name="teacherSystems" value={s} /> {s}
                </label>
              ))}
            </fieldset>
          )}
          {errors > 0 && (
            <label style={{ display: "flex", gap: "0.5rem", fontWeight: 400 }}>
              <input type="checkbox" name="dropBadRows" /> Drop the {errors} rows with errors and import the rest
            </label>
          )}
          <button type="submit" disabled={pending}>
            Import
          </button>
        </div>
      )}
      {error && (
        <div role="alert" className="error">
          <p>{error.message}</p>
          {error.fields && (
            <ul>
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
