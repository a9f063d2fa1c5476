"use client";
import { useRef, useState, useTransition, type ReactNode } from "react";
import { describeProblem, type EvalSetPreview } from "@/lib/eval-sets/schemas";

const PROBLEMS_PER_PAGE = 100;
/** The preview's page size (lib/eval-sets PREVIEW_ROW_COUNT; the server snaps offsets to it). */
const PREVIEW_ROWS = 20;

export type UploadFailure = { message: string; fields?: Record<string, string> };
type PreviewAction = (
  form: FormData,
) => Promise<{ ok: true; data: EvalSetPreview } | { ok: false; error: UploadFailure }>;

/**
 * The state both upload forms share (a new eval set, outputs for one): the form, the preview of the
 * chosen file, the last failure, and `loadPage`, which parses the chosen file again for another
 * page of rows (the file stays in the input).
 */
export function useUploadPreview(previewAction: PreviewAction) {
  const formRef = useRef<HTMLFormElement>(null);
  const [preview, setPreview] = useState<EvalSetPreview | null>(null);
  const [error, setError] = useState<UploadFailure | null>(null);
  const [pending, start] = useTransition();

  function loadPage(rowOffset: number) {
    const data = new FormData(formRef.current!);
    data.set("rowOffset", String(rowOffset));
    setError(null);
    start(async () => {
      const res = await previewAction(data);
      if (res.ok) setPreview(res.data);
      else {
        setPreview(null);
        setError(res.error);
      }
    });
  }
  return { formRef, preview, setPreview, error, setError, pending, start, loadPage };
}

/**
 * What a chosen file holds: a summary, every problem (a page at a time), one page of parsed rows
 * with paging, then the choices the upload asks for and its submit button.
 */
export function UploadPreview(props: {
  preview: EvalSetPreview;
  pending: boolean;
  loadPage: (rowOffset: number) => void;
  testId: string;
  teacherLegend: string;
  dropBadRowsLabel: (errors: number) => string;
  submitLabel: string;
  /** Fields the upload asks for between the rows and the import choices (a new set's name). */
  children?: ReactNode;
}) {
  const { preview, pending, loadPage } = props;
  const errors = preview.errorCount;
  const sourceColumn = preview.columns.find((c) => c.role === "source")?.name;
  const firstRow = preview.rowOffset;
  const lastRow = firstRow + preview.rows.length;
  return (
    <div data-testid={props.testId}>
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
      <ProblemList key={`${preview.filename}:${preview.problems.length}`} problems={preview.problems} />
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
          <button type="button" disabled={pending || firstRow === 0} onClick={() => loadPage(firstRow - PREVIEW_ROWS)}>
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
      {props.children}
      {preview.systems.length > 0 && (
        <fieldset>
          <legend>{props.teacherLegend}</legend>
          {preview.systems.map((s) => (
            <label key={s} style={{ display: "flex", gap: "0.5rem", fontWeight: 400 }}>
              <input type="checkbox" name="teacherSystems" value={s} /> {s}
            </label>
          ))}
        </fieldset>
      )}
      {errors > 0 && (
        <label style={{ display: "flex", gap: "0.5rem", fontWeight: 400 }}>
          <input type="checkbox" name="dropBadRows" /> {props.dropBadRowsLabel(errors)}
        </label>
      )}
      <button type="submit" disabled={pending}>
        {props.submitLabel}
      </button>
    </div>
  );
}

/** Every problem of the file, a hundred at a time. */
function ProblemList({ problems }: { problems: EvalSetPreview["problems"] }) {
  const [page, setPage] = useState(0);
  if (problems.length === 0) return null;
  const pages = Math.ceil(problems.length / PROBLEMS_PER_PAGE);
  const shown = problems.slice(page * PROBLEMS_PER_PAGE, (page + 1) * PROBLEMS_PER_PAGE);
  return (
    <>
      <ul aria-label="Problems" className="problems" style={{ overflowWrap: "anywhere" }}>
        {shown.map((p, i) => (
          <li key={i} className={p.severity === "error" ? "error" : "muted"}>
            {describeProblem(p)}
          </li>
        ))}
      </ul>
      {pages > 1 && (
        <p>
          Problems {page * PROBLEMS_PER_PAGE + 1}–{Math.min((page + 1) * PROBLEMS_PER_PAGE, problems.length)} of{" "}
          {problems.length}{" "}
          <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
            Previous problems
          </button>{" "}
          <button type="button" disabled={page >= pages - 1} onClick={() => setPage(page + 1)}>
            Next problems
          </button>
        </p>
      )}
    </>
  );
}

/** Why the server refused the upload, with the problems by line. */
export function UploadError({ error }: { error: UploadFailure | null }) {
  if (!error) return null;
  return (
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
  );
}
