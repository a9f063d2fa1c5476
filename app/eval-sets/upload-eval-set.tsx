"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { importUploadAction, previewUploadAction } from "./actions";
import { ImportProgressBar, newUploadId } from "./import-progress";
import { UploadError, UploadPreview, useUploadPreview } from "./_components/upload-preview";

/** Choose a file -> see the preview with every problem -> import (all or nothing, or drop bad rows). */
export function UploadEvalSet({ maxFileBytes, limitLabel }: { maxFileBytes: number; limitLabel: string }) {
  const router = useRouter();
  const { formRef, preview, setPreview, error, setError, pending, start, loadPage } =
    useUploadPreview(previewUploadAction);
  /** Set while an import runs: the id its progress is polled under. */
  const [uploadId, setUploadId] = useState<string | null>(null);

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
      {pending && uploadId ? (
        <ImportProgressBar uploadId={uploadId} rowCount={preview?.rowCount} />
      ) : (
        pending && <p role="status">Working…</p>
      )}
      {preview && (
        <UploadPreview
          preview={preview}
          pending={pending}
          loadPage={loadPage}
          testId="upload-preview"
          teacherLegend="Which imported systems are the teacher?"
          dropBadRowsLabel={(errors) => `Drop the ${errors} rows with errors and import the rest`}
          submitLabel="Import"
        >
          <label>
            Name
            <input name="name" required maxLength={200} />
          </label>
          <label>
            Description
            <input name="description" maxLength={2000} />
          </label>
        </UploadPreview>
      )}
      <UploadError error={error} />
    </form>
  );
}
