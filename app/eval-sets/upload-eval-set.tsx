"use client";
import { useRouter } from "next/navigation";
import { useRef, useState, useTransition } from "react";
import { describeProblem, type EvalSetPreview } from "@/lib/eval-sets/schemas";
import { importUploadAction, previewUploadAction } from "./actions";
import { ImportProgressBar, newUploadId } from "./import-progress";

const PROBLEMS_PER_PAGE = 100;
/** The preview's page size (lib/eval-sets PREVIEW_ROW_COUNT; the server snaps offsets to it). */
const PREVIEW_ROWS = 20;

/** Choose a file -> see the preview with every problem -> import (all or nothing, or drop bad rows). */
export function UploadEvalSet({ maxFileBytes, limitLabel }: { maxFileBytes: number; limitLabel: string }) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [preview, setPreview] = useState<EvalSetPreview | null>(null);
  const [error, setError] = useState<{ message: string; fields?: Record<string, string> } | null>(null);
  const [pending, start] = useTransition();
  const [problemPage, setProblemPage] = useState(0);
  /** Set while an import runs: the id its progress is polled under. */
  const [uploadId, setUploadId] = useState<string | null>(null);

  /** Parses the chosen file again for another page of rows (the file stays in the input). */
  function loadPage(rowOffset: number) {
    const form = formRef.current!;
    const data = new FormData(form);
    data.set("rowOffset", String(rowOffset));
    setError(null);
    start(async () => {
      const res = await previewUploadAction(data);
      if (res.ok) setPreview(res.data);
      else {
        setPreview(null);
        setError(res.error);
      }
    });
  }

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
    setPreview(null);
    setError(null);
    if (tooLarge(formRef.current!)) return;
    setProblemPage(0);
    loadPage(0);
  }

  function onImport(ev: React.FormEvent<HTMLFormElement>) {
    ev.preventDefault();
    setError(null);
    if (tooLarge(ev.currentTarget)) return;
    const data = new FormData(ev.currentTarget);
    const id = newUploadId();
    data.set("uploadId", id);
    setUploadId(id);
    start(async () => {
      const res = await importUploadAction(data);
      if (res.ok) router.push(`/eval-sets/${res.data.evalSetId}`);
      else {
        setUploadId(null);
        setError(res.error);
      }
    });
  }

  const errors = preview?.errorCount ?? 0;
  const sourceColumn = preview?.columns.find((c) => c.role === "source")?.name;
  const problemPages = Math.max(1, Math.ceil((preview?.problems.length ?? 0) / PROBLEMS_PER_PAGE));
  const shownProblems = (preview?.problems ?? []).slice(
    problemPage * PROBLEMS_PER_PAGE,
    (problemPage + 1) * PROBLEMS_PER_PAGE,
  );
  const firstRow = preview?.rowOffset ?? 0;
  const lastRow = firstRow + (preview?.rows.length ?? 0);
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
      {pending && uploadId ? <ImportProgressBar uploadId={uploadId} /> : pending && <p role="status">Working…</p>}
      {preview && (
        <div data-testid="upload-preview">
          <p role="status">
            {preview.rowCount} rows ({preview.format?.toUpperCase()}); {errors} with errors, {preview.warningCount}{" "}
            warnings.
            {sourceColumn && (
              <>
                {" "}
                Source sentences from the <strong>&ldquo;{sourceColumn}&rdquo;</strong>{" "}
                {preview.format === "jsonl" ? "key" : "column"}.
              </>
            )}
            {preview.systems.length > 0 && <> Outputs for: {preview.systems.join(", ")}.</>}
          </p>
          {preview.problems.length > 0 && (
            <>
              <ul aria-label="Problems" className="problems" style={{ overflowWrap: "anywhere" }}>
                {shownProblems.map((p, i) => (
                  <li key={i} className={p.severity === "error" ? "error" : "muted"}>
                    {describeProblem(p)}
                  </li>
                ))}
              </ul>
              {problemPages > 1 && (
                <p>
                  Problems {problemPage * PROBLEMS_PER_PAGE + 1}–
                  {Math.min((problemPage + 1) * PROBLEMS_PER_PAGE, preview.problems.length)} of{" "}
                  {preview.problems.length}{" "}
                  <button type="button" disabled={problemPage === 0} onClick={() => setProblemPage(problemPage - 1)}>
                    Previous problems
                  </button>{" "}
                  <button
                    type="button"
                    disabled={problemPage >= problemPages - 1}
                    onClick={() => setProblemPage(problemPage + 1)}
                  >
                    Next problems
                  </button>
                </p>
              )}
            </>
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
