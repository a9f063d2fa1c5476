"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { UploadError, UploadPreview, useUploadPreview } from "../_components/upload-preview";
import { addOutputsAction, previewAddOutputsAction } from "./add-outputs-actions";

/** Choose a file of outputs -> the same preview and per-line problems as a new set -> add them to the items with those ids. */
export function AddOutputs({ evalSetId }: { evalSetId: string }) {
  const router = useRouter();
  const { formRef, preview, setPreview, error, setError, pending, start, loadPage } =
    useUploadPreview(previewAddOutputsAction);
  const [done, setDone] = useState<string | null>(null);

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
        <input
          name="file"
          type="file"
          accept=".csv,.tsv,.jsonl,.txt"
          onChange={() => {
            setDone(null);
            loadPage(0);
          }}
          required
        />
      </label>
      {pending && <p role="status">Working…</p>}
      {done && <p role="status">{done}</p>}
      {preview && (
        <UploadPreview
          preview={preview}
          pending={pending}
          loadPage={loadPage}
          testId="add-outputs-preview"
          teacherLegend="Which systems are the teacher?"
          dropBadRowsLabel={(errors) => `Leave out the ${errors} rows with errors and add the rest`}
          submitLabel="Add outputs"
        />
      )}
      <UploadError error={error} />
    </form>
  );
}
