"use client";
import { useCallback, useEffect, useMemo, useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import type { Criterion, ScreenView } from "@/lib/annotation";
import { isTyping, SkipForm } from "./rating-form";
import styles from "./rating.module.css";
import own from "./ranking.module.css";

export interface RankingValues {
  texts: { scores: Record<string, number>; rank: number }[];
}

const FORM_ID = "ranking-form";
const POINTS = [1, 2, 3, 4, 5] as const;

type Field = { text: number; key: string | null };

/** The form field name of a text's score on one criterion, or of its rank. */
const nameOf = (f: Field) => (f.key === null ? `rank.${f.text}` : `score.${f.text}.${f.key}`);
/** Radio values arrive as strings; an unanswered group reads null or undefined. */
type FormValues = { score?: Record<string, string | null | undefined>[]; rank?: (string | null | undefined)[] };
const valueOf = (v: FormValues, f: Field) => (f.key === null ? v.rank?.[f.text] : v.score?.[f.text]?.[f.key]);
const answered = (v: FormValues, f: Field) => {
  const x = valueOf(v, f);
  return x !== undefined && x !== null && x !== "";
};

/**
 * One ranking screen: the source, every text labelled only by its place (Text A, B, ...), a
 * 1-5 scale per criterion for each text, then a rank per text (1 = best; equal ranks are a tie).
 * Keyboard first, as the pairwise form: the digit keys answer the highlighted scale or rank and
 * move on (all scales first, then the ranks), Enter submits, ? shows the instructions.
 */
export function RankingForm(props: {
  criteria: Criterion[];
  screen: ScreenView;
  progressLabel: string;
  busy: boolean;
  message: { ok: boolean; text: string } | null;
  onSubmit: (values: RankingValues) => void;
  onOpenInstructions: () => void;
  onSkip: (action: "skip" | "flag", reason: string) => void;
}) {
  const { criteria, screen } = props;
  const n = screen.texts.length;
  const fields = useMemo<Field[]>(
    () => [
      ...screen.texts.flatMap((_, text) => criteria.map((c) => ({ text, key: c.key }))),
      ...screen.texts.map((_, text) => ({ text, key: null })),
    ],
    [criteria, screen.texts],
  );
  // Every scale and every rank is required; the keyboard handler below sets values through the
  // form, so the radios, the "missing" hints and the submitted values share one store.
  const { register, handleSubmit, setValue, getValues, control, formState } = useForm<FormValues>({
    shouldFocusError: false,
  });
  const values = useWatch({ control }) as FormValues;
  const [current, setCurrent] = useState(0);
  const [skipOpen, setSkipOpen] = useState(false);
  const isSubmitted = formState.isSubmitted;
  const missing = fields.filter((f) => !answered(values, f));

  const focusField = useCallback(
    (i: number) => {
      const form = document.getElementById(FORM_ID);
      const f = fields[Math.min(i, fields.length - 1)];
      if (!form || !f) return;
      const inputs = Array.from(form.querySelectorAll<HTMLInputElement>(`input[name="${nameOf(f)}"]`));
      (inputs.find((x) => x.checked) ?? inputs[0])?.focus();
    },
    [fields],
  );
  // The parent remounts this form per screen (key), so only the first focus is needed here.
  useEffect(() => focusField(0), [focusField]);

  function choose(i: number, value: number) {
    setValue(nameOf(fields[i]) as never, String(value) as never, { shouldValidate: isSubmitted });
  }

  const submit = handleSubmit(
    (v) =>
      props.onSubmit({
        texts: screen.texts.map((_, t) => ({
          scores: Object.fromEntries(criteria.map((c) => [c.key, Number(v.score?.[t]?.[c.key])])),
          rank: Number(v.rank?.[t]),
        })),
      }),
    // Focus the first unanswered scale or rank in reading order, where the digit keys work.
    () => {
      const v = getValues();
      focusField(fields.findIndex((f) => !answered(v, f)));
    },
  );

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
      const f = fields[current];
      const max = f?.key === null ? n : 5;
      if (f && /^[1-9]$/.test(e.key) && Number(e.key) <= max) {
        e.preventDefault();
        choose(current, Number(e.key));
        focusField(current + 1);
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

  const group = (i: number, label: string, points: readonly number[], title?: (p: number) => string | undefined) => {
    const f = fields[i];
    const name = nameOf(f);
    return (
      <fieldset
        key={name}
        className={`${styles.group} ${current === i ? styles.current : ""}`}
        onFocus={() => setCurrent(i)}
      >
        <legend>{label}</legend>
        {points.map((p) => (
          <label key={p} className={styles.choice} title={title?.(p)}>
            <input
              type="radio"
              value={String(p)}
              {...register(name as never, { required: true })}
              aria-label={`${p}${title?.(p) ? `: ${title(p)}` : ""}`}
            />
            <span aria-hidden="true">{p}</span>
          </label>
        ))}
      </fieldset>
    );
  };
  const ranks = Array.from({ length: n }, (_, i) => i + 1);
  const isMissing = (i: number) => isSubmitted && !answered(values, fields[i]);

  return (
    <form id={FORM_ID} className={styles.layout} onSubmit={submit} noValidate aria-label="Rate and rank these texts">
      <div className={styles.topbar}>
        <p role="status" aria-live="polite" style={{ margin: 0, fontWeight: 600 }}>
          {props.progressLabel}
        </p>
        <button type="button" className="secondary" onClick={props.onOpenInstructions} aria-keyshortcuts="?">
          Instructions (?)
        </button>
      </div>
      <div>
        <h2 style={{ fontSize: "1rem", margin: "0 0 0.25rem" }}>Source</h2>
        <p className={styles.source}>{screen.source}</p>
      </div>
      <div className={own.texts}>
        {screen.texts.map((t, ti) => (
          <section key={t.label} className={own.card} aria-label={t.label}>
            <h2 className={own.label}>{t.label}</h2>
            <p className={styles.text}>{t.text}</p>
            <div className={own.scales}>
              {criteria.map((c, ci) => {
                const i = ti * criteria.length + ci;
                return (
                  <div key={c.key} className={own.scale}>
                    <span className={own.scaleLabel}>
                      {c.label}
                      {isMissing(i) && <span className="error"> (choose 1 to 5)</span>}
                    </span>
                    {group(i, `${c.label}, ${t.label}`, POINTS, (p) => c.anchors[String(p) as "1"])}
                  </div>
                );
              })}
            </div>
          </section>
        ))}
      </div>
      <fieldset className={own.ranking}>
        <legend>Rank the texts: 1 = best. Give two texts the same rank for a tie.</legend>
        {screen.texts.map((t, ti) => {
          const i = n * criteria.length + ti;
          return (
            <div key={t.label} className={own.rankRow}>
              <span className={own.scaleLabel}>
                {t.label}
                {isMissing(i) && <span className="error"> (choose a rank)</span>}
              </span>
              {group(i, `Rank of ${t.label}`, ranks)}
            </div>
          );
        })}
      </fieldset>
      <div className={styles.actions}>
        <button type="submit" disabled={props.busy} aria-keyshortcuts="Enter">
          Submit (Enter)
        </button>
        <button type="button" className="secondary" onClick={() => setSkipOpen((o) => !o)} aria-expanded={skipOpen}>
          Skip or flag a problem
        </button>
        <span role="alert" className={props.message?.ok ? "ok" : "error"}>
          {props.message?.text ??
            (isSubmitted && missing.length ? `${missing.length} answers missing: every scale and every rank` : null)}
        </span>
      </div>
      {skipOpen && <SkipForm onSkip={props.onSkip} busy={props.busy} />}
      <p className={styles.keys}>
        Keys: 1-5 rate the highlighted scale (all texts, then the ranks), 1-{n} give the highlighted rank, Enter
        submits, ? shows the instructions.
      </p>
    </form>
  );
}
