"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useCallback, useEffect, useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import type { Preference, SidedScores, Side } from "@/lib/annotation/schemas";
import type { Criterion } from "@/lib/annotation";
import styles from "./rating.module.css";

export type { Side };
export type Pref = Preference;
export interface RatingValues {
  scores: SidedScores;
  preference: Pref;
}
export interface ItemTexts {
  source: string;
  left: string;
  right: string;
  rating: (RatingValues & { revision: number }) | null;
}

const FORM_ID = "rating-form";
// Types only from lib/annotation: its schemas module also holds the un-blinding code and the
// known answers ("TEACHER", "teacherOnLeft"), which must never reach an annotator's browser
// (e2e/blindness.spec.ts reads every script the page loads).
const PREFERENCE_VALUES = ["LEFT", "TIE", "RIGHT"] as const satisfies readonly Preference[];
const POINTS = ["1", "2", "3", "4", "5"] as const;
const PREFS: { value: Pref; label: string; key: string }[] = [
  { value: "LEFT", label: "Left is better", key: "L" },
  { value: "TIE", label: "Tie", key: "T" },
  { value: "RIGHT", label: "Right is better", key: "R" },
];

function schemaFor(criteria: Criterion[]) {
  const point = z.enum(POINTS, { error: "Choose 1 to 5" });
  return z.object({
    scores: z.object(Object.fromEntries(criteria.map((c) => [c.key, z.object({ left: point, right: point })]))),
    preference: z.enum(PREFERENCE_VALUES, { error: "Choose left, tie or right" }),
  });
}
type FormValues = { scores: Record<string, { left?: string; right?: string }>; preference?: Pref };

/** Whether a key press belongs to a text field or select, not to the form's shortcuts (shared with ranking-form). */
export function isTyping(el: EventTarget | null) {
  return (
    el instanceof HTMLTextAreaElement ||
    el instanceof HTMLSelectElement ||
    (el instanceof HTMLInputElement && el.type !== "radio")
  );
}

/**
 * One item: the source, the two paraphrases and a radio group per criterion and side, then the
 * preference. Keyboard first: 1-5 rate the highlighted group and move on, L/T/R (or the arrow
 * keys outside a score group) set the preference, Enter submits, ? asks for the instructions.
 */
export function RatingForm(props: {
  criteria: Criterion[];
  item: ItemTexts;
  progressLabel: string;
  busy: boolean;
  message: { ok: boolean; text: string } | null;
  onSubmit: (values: RatingValues) => void;
  onOpenInstructions: () => void;
  onSkip: (action: "skip" | "flag", reason: string) => void;
  extraActions?: React.ReactNode;
}) {
  const { criteria, item } = props;
  const fields = useMemo(
    () => criteria.flatMap((c) => (["left", "right"] as Side[]).map((side) => ({ key: c.key, side, label: c.label }))),
    [criteria],
  );
  const defaults = useMemo<FormValues>(
    () => ({
      scores: Object.fromEntries(
        criteria.map((c) => [
          c.key,
          {
            left: item.rating ? String(item.rating.scores[c.key]?.left) : undefined,
            right: item.rating ? String(item.rating.scores[c.key]?.right) : undefined,
          },
        ]),
      ),
      preference: item.rating?.preference,
    }),
    [criteria, item],
  );
  const { register, handleSubmit, setValue, formState } = useForm<FormValues>({
    resolver: zodResolver(schemaFor(criteria)) as never,
    defaultValues: defaults,
    // react-hook-form would otherwise move focus itself after focusFirstError, onto the first
    // errored input it knows (the preference radios), where the digit keys do nothing.
    shouldFocusError: false,
  });
  const [current, setCurrent] = useState(0);
  const [skipOpen, setSkipOpen] = useState(false);

  // Moving focus is enough: each group's onFocus makes it the current one.
  const focusField = useCallback(
    (i: number) => {
      const form = document.getElementById(FORM_ID);
      if (!form) return;
      const name = i < fields.length ? `scores.${fields[i].key}.${fields[i].side}` : "preference";
      const inputs = Array.from(form.querySelectorAll<HTMLInputElement>(`input[name="${name}"]`));
      (inputs.find((x) => x.checked) ?? inputs[0])?.focus();
    },
    [fields],
  );

  // The parent remounts this form per item (key), so only the first focus is needed here.
  useEffect(() => focusField(0), [focusField]);

  const submit = handleSubmit(
    (v) => {
      const values = v as Required<FormValues>;
      props.onSubmit({
        scores: Object.fromEntries(
          Object.entries(values.scores).map(([k, s]) => [k, { left: Number(s.left), right: Number(s.right) }]),
        ),
        preference: values.preference,
      });
    },
    () => focusFirstError(),
  );

  function focusFirstError() {
    const form = document.getElementById(FORM_ID);
    const firstMissing = fields.findIndex(
      (f) => !form?.querySelector(`input[name="scores.${f.key}.${f.side}"]:checked`),
    );
    focusField(firstMissing >= 0 ? firstMissing : fields.length);
  }

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (
        e.ctrlKey ||
        e.metaKey ||
        e.altKey ||
        skipOpen ||
        isTyping(e.target) ||
        document.querySelector("dialog[open]")
      )
        return;
      if (e.key === "?") {
        e.preventDefault();
        props.onOpenInstructions();
        return;
      }
      if (props.busy) return;
      if (/^[1-5]$/.test(e.key) && current < fields.length) {
        e.preventDefault();
        const f = fields[current];
        setValue(`scores.${f.key}.${f.side}`, e.key as never, { shouldValidate: formState.isSubmitted });
        focusField(current + 1);
        return;
      }
      const isRadio =
        e.target instanceof HTMLInputElement && e.target.type === "radio" && e.target.name !== "preference";
      const pref = (
        {
          l: "LEFT",
          t: "TIE",
          r: "RIGHT",
          ...(isRadio ? {} : { ArrowLeft: "LEFT", ArrowDown: "TIE", ArrowRight: "RIGHT" }),
        } as Record<string, Pref>
      )[e.key.length === 1 ? e.key.toLowerCase() : e.key];
      if (
        pref &&
        !(e.target instanceof HTMLInputElement && e.target.name === "preference" && e.key.startsWith("Arrow"))
      ) {
        e.preventDefault();
        setValue("preference", pref, { shouldValidate: formState.isSubmitted });
        focusField(fields.length);
        return;
      }
      if (e.key === "Enter" && !(e.target instanceof HTMLButtonElement) && !(e.target instanceof HTMLAnchorElement)) {
        e.preventDefault();
        void submit();
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  const errors = formState.errors;
  return (
    <form id={FORM_ID} className={styles.layout} onSubmit={submit} noValidate aria-label="Rate this item">
      <div className={styles.topbar}>
        <p role="status" aria-live="polite" style={{ margin: 0, fontWeight: 600 }}>
          {props.progressLabel}
        </p>
        <button type="button" className="secondary" onClick={props.onOpenInstructions} aria-keyshortcuts="?">
          Instructions (?)
        </button>
      </div>
      <div>
        <h2 id="source-h" style={{ fontSize: "1rem", margin: "0 0 0.25rem" }}>
          Source
        </h2>
        <p className={styles.source}>{item.source}</p>
      </div>
      <div className={styles.texts}>
        <div>
          <h2 style={{ fontSize: "1rem", margin: "0 0 0.25rem" }}>Left paraphrase</h2>
          <p className={styles.text}>{item.left}</p>
        </div>
        <div>
          <h2 style={{ fontSize: "1rem", margin: "0 0 0.25rem" }}>Right paraphrase</h2>
          <p className={styles.text}>{item.right}</p>
        </div>
      </div>
      <div className={styles.grid}>
        <span aria-hidden="true" />
        <span aria-hidden="true" className={styles.colhead}>
          Left paraphrase
        </span>
        <span aria-hidden="true" className={styles.colhead}>
          Right paraphrase
        </span>
        {criteria.map((c) => (
          <CriterionRow
            key={c.key}
            criterion={c}
            register={register}
            currentKey={fields[current]?.key}
            currentSide={fields[current]?.side}
            onFocusSide={(side) => setCurrent(fields.findIndex((f) => f.key === c.key && f.side === side))}
            error={errors.scores?.[c.key]?.left?.message ?? errors.scores?.[c.key]?.right?.message}
          />
        ))}
      </div>
      <fieldset
        className={`${styles.prefs} ${current === fields.length ? styles.current : ""}`}
        onFocus={() => setCurrent(fields.length)}
      >
        <legend>Which paraphrase do you prefer overall?</legend>
        {PREFS.map((p) => (
          <label key={p.value} className={styles.choice}>
            <input type="radio" value={p.value} {...register("preference")} aria-keyshortcuts={p.key} />
            {p.label} ({p.key})
          </label>
        ))}
        <span className="error" role="alert">
          {errors.preference?.message}
        </span>
      </fieldset>
      <div className={styles.actions}>
        <button type="submit" disabled={props.busy} aria-keyshortcuts="Enter">
          {item.rating ? "Save revision" : "Submit"} (Enter)
        </button>
        <button type="button" className="secondary" onClick={() => setSkipOpen((o) => !o)} aria-expanded={skipOpen}>
          Skip or flag a problem
        </button>
        {props.extraActions}
        <span role="alert" className={props.message?.ok ? "ok" : "error"}>
          {props.message?.text}
        </span>
      </div>
      {skipOpen && <SkipForm onSkip={props.onSkip} busy={props.busy} />}
      <p className={styles.keys}>
        Keys: 1-5 rate the highlighted scale, L / T / R choose the preference, Enter submits, ? shows the instructions.
      </p>
    </form>
  );
}

function CriterionRow(props: {
  criterion: Criterion;
  register: ReturnType<typeof useForm<FormValues>>["register"];
  currentKey?: string;
  currentSide?: Side;
  onFocusSide: (side: Side) => void;
  error?: string;
}) {
  const c = props.criterion;
  return (
    <>
      <div>
        <strong>{c.label}</strong>
        {props.error && (
          <div className="error" role="alert">
            {props.error}
          </div>
        )}
      </div>
      {(["left", "right"] as Side[]).map((side) => (
        <fieldset
          key={side}
          className={`${styles.group} ${props.currentKey === c.key && props.currentSide === side ? styles.current : ""}`}
          onFocus={() => props.onFocusSide(side)}
        >
          <legend>
            {c.label}, {side} paraphrase
          </legend>
          {POINTS.map((p) => (
            <label key={p} className={styles.choice} title={c.anchors[p]}>
              <input
                type="radio"
                value={p}
                {...props.register(`scores.${c.key}.${side}`)}
                aria-label={`${p}${c.anchors[p] ? `: ${c.anchors[p]}` : ""}`}
              />
              <span aria-hidden="true">{p}</span>
            </label>
          ))}
        </fieldset>
      ))}
    </>
  );
}

export function SkipForm({
  onSkip,
  busy,
}: {
  onSkip: (action: "skip" | "flag", reason: string) => void;
  busy: boolean;
}) {
  const [action, setAction] = useState<"skip" | "flag">("flag");
  const [reason, setReason] = useState("");
  return (
    <div className="panel" role="group" aria-label="Skip or flag this item">
      <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
        <legend>What is wrong?</legend>
        <label style={{ display: "flex", gap: "0.5rem", fontWeight: 400 }}>
          <input type="radio" name="skip-action" checked={action === "flag"} onChange={() => setAction("flag")} /> The
          source is broken or a paraphrase is empty (flag it)
        </label>
        <label style={{ display: "flex", gap: "0.5rem", fontWeight: 400 }}>
          <input type="radio" name="skip-action" checked={action === "skip"} onChange={() => setAction("skip")} /> I
          cannot judge this item (skip it)
        </label>
      </fieldset>
      <label>
        Reason
        <textarea rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <button
        type="button"
        className="secondary"
        disabled={busy || !reason.trim()}
        onClick={() => onSkip(action, reason.trim())}
      >
        {action === "flag" ? "Flag and continue" : "Skip and continue"}
      </button>
    </div>
  );
}
