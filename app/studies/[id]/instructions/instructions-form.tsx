"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useFieldArray, useForm } from "react-hook-form";
import type { Criterion } from "@/lib/annotation";
import { editInstructionsAction } from "../../actions";

const POINTS = ["1", "2", "3", "4", "5"] as const;
type Values = {
  markdown: string;
  criteria: { key: string; label: string; description: string; anchors: Record<(typeof POINTS)[number], string> }[];
};

export function InstructionsForm(props: {
  studyId: string;
  markdown: string;
  criteria: Criterion[];
  keysLocked: boolean;
  disabled: boolean;
}) {
  const router = useRouter();
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const { register, control, handleSubmit, formState } = useForm<Values>({
    defaultValues: {
      markdown: props.markdown,
      criteria: props.criteria.map((c) => ({
        key: c.key,
        label: c.label,
        description: c.description,
        anchors: Object.fromEntries(
          POINTS.map((p) => [p, c.anchors[p] ?? ""]),
        ) as Values["criteria"][number]["anchors"],
      })),
    },
  });
  const { fields, append, remove } = useFieldArray({ control, name: "criteria" });
  async function onSubmit(v: Values) {
    const res = await editInstructionsAction({
      studyId: props.studyId,
      markdown: v.markdown,
      criteria: v.criteria.map((c) => ({
        ...c,
        anchors: Object.fromEntries(Object.entries(c.anchors).filter(([, t]) => t.trim())),
      })),
    });
    setNote(
      res.ok ? { ok: true, text: `Saved as version ${res.data.version}.` } : { ok: false, text: res.error.message },
    );
    if (res.ok) router.refresh();
  }
  return (
    <form className="stack" style={{ maxWidth: "60rem" }} onSubmit={handleSubmit(onSubmit)} aria-label="Instructions">
      <label>
        Instructions (markdown)
        <textarea rows={18} {...register("markdown")} disabled={props.disabled} style={{ fontFamily: "monospace" }} />
      </label>
      <h2>Criteria</h2>
      {fields.map((f, i) => (
        <fieldset key={f.id} className="panel">
          <legend>Criterion {i + 1}</legend>
          <label>
            Key (used in exports)
            <input {...register(`criteria.${i}.key`)} readOnly={props.keysLocked} disabled={props.disabled} />
          </label>
          <label>
            Label
            <input {...register(`criteria.${i}.label`)} disabled={props.disabled} />
          </label>
          <label>
            Description
            <textarea rows={2} {...register(`criteria.${i}.description`)} disabled={props.disabled} />
          </label>
          {POINTS.map((p) => (
            <label key={p}>
              Scale point {p}
              <input {...register(`criteria.${i}.anchors.${p}`)} disabled={props.disabled} />
            </label>
          ))}
          {!props.keysLocked && (
            <button type="button" className="secondary" onClick={() => remove(i)}>
              Remove criterion {i + 1}
            </button>
          )}
        </fieldset>
      ))}
      {!props.keysLocked && (
        <button
          type="button"
          className="secondary"
          onClick={() =>
            append({
              key: `criterion_${fields.length + 1}`,
              label: "",
              description: "",
              anchors: { "1": "", "2": "", "3": "", "4": "", "5": "" },
            })
          }
        >
          Add a criterion
        </button>
      )}
      <p role="status" className={note?.ok ? "ok" : "error"}>
        {note?.text}
      </p>
      <button type="submit" disabled={props.disabled || formState.isSubmitting}>
        Save as a new version
      </button>
    </form>
  );
}
