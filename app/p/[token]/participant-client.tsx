"use client";
import { useCallback, useEffect, useState } from "react";
import { InstructionsView } from "@/app/tasks/_components/instructions-view";
import { RatingForm, type RatingValues } from "@/app/tasks/_components/rating-form";
import { useActiveTime } from "@/app/tasks/_components/use-active-time";
import type { ItemView, Progress } from "@/lib/annotation";
import type { ParticipantNext, ParticipantView } from "@/lib/crowd";

type Result<T> = { ok: true; data: T } | { ok: false; message: string };

async function post<T>(url: string, body: unknown = {}): Promise<Result<T>> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = await res.json().catch(() => null);
  if (!res.ok) return { ok: false, message: json?.error?.message ?? "Something went wrong. Try again." };
  return { ok: true, data: json as T };
}

/** Steps an external participant through the study; every answer goes to the server, which decides the next step. */
export function ParticipantClient({ token, initial }: { token: string; initial: ParticipantView }) {
  const [view, setView] = useState<ParticipantView>(initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const api = `/p/${encodeURIComponent(token)}/api`;

  async function act<T>(path: string, body: unknown, pick: (d: T) => ParticipantView | null) {
    setBusy(true);
    setError(null);
    const r = await post<T>(`${api}/${path}`, body);
    setBusy(false);
    if (!r.ok) return setError(r.message);
    const next = pick(r.data);
    if (next) setView(next);
  }

  return (
    <section className="narrow" aria-live="polite">
      {view.stage === "CONSENT" && (
        <>
          <h1>Before you start</h1>
          <InstructionsView markdown={view.consentMarkdown} criteria={[]} />
          <div className="actions">
            <button disabled={busy} onClick={() => act<ParticipantView>("consent", { agree: true }, (d) => d)}>
              I agree to take part
            </button>
            <button
              className="secondary"
              disabled={busy}
              onClick={() => act<ParticipantView>("consent", { agree: false }, (d) => d)}
            >
              I do not agree
            </button>
          </div>
        </>
      )}
      {view.stage === "INSTRUCTIONS" && (
        <>
          <h1>Instructions</h1>
          <InstructionsView markdown={view.markdown} criteria={view.criteria} />
          <button disabled={busy} onClick={() => act<ParticipantView>("instructions", {}, (d) => d)}>
            {view.hasCheck
              ? "I have read the instructions: continue to a short check"
              : "I have read the instructions: start"}
          </button>
        </>
      )}
      {view.stage === "CHECK" && (
        <CheckForm
          view={view}
          busy={busy}
          onAnswer={(answers) =>
            act<{ isCorrect: boolean; view: ParticipantView }>("check", { answers }, (d) => d.view)
          }
        />
      )}
      {view.stage === "ITEMS" && <Items api={api} view={view} onView={setView} />}
      {view.stage === "COMPLETED" && (
        <>
          <h1>Thank you, you are done</h1>
          <p>
            Your completion code is <strong data-testid="completion-code">{view.code}</strong>.
          </p>
          {view.url ? (
            <p>
              <a href={view.url}>Return to Prolific to finish</a>
            </p>
          ) : (
            <p>Copy the code into the HIT on MTurk to finish.</p>
          )}
        </>
      )}
      {view.stage === "SCREENED_OUT" && (
        <>
          <h1>This session has ended</h1>
          <p>{view.message}</p>
          <p>
            Code: <strong data-testid="screen-out-code">{view.code}</strong>
          </p>
          {view.url && (
            <p>
              <a href={view.url}>Return to Prolific</a>
            </p>
          )}
        </>
      )}
      {(view.stage === "RETURNED" || view.stage === "DECLINED") && (
        <>
          <h1>Please return this study</h1>
          <p role="status">{view.message}</p>
        </>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

function CheckForm(props: {
  view: Extract<ParticipantView, { stage: "CHECK" }>;
  busy: boolean;
  onAnswer: (answers: number[]) => void;
}) {
  const { view } = props;
  const [answers, setAnswers] = useState<(number | null)[]>(view.questions.map(() => null));
  return (
    <form
      aria-label="Comprehension check"
      onSubmit={(e) => {
        e.preventDefault();
        props.onAnswer(answers.map((a) => a ?? -1));
        setAnswers(view.questions.map(() => null));
      }}
    >
      <h1>A short check</h1>
      {view.hasFailedOnce && (
        <p className="error" role="alert">
          Not quite. Read the instructions again if you need to; you have {view.triesLeft} more{" "}
          {view.triesLeft === 1 ? "try" : "tries"}.
        </p>
      )}
      {view.questions.map((q, i) => (
        <fieldset key={i}>
          <legend>{q.question}</legend>
          {q.options.map((o, j) => (
            <label key={j} style={{ display: "flex", gap: "0.5rem", fontWeight: 400 }}>
              <input
                type="radio"
                name={`q${i}`}
                checked={answers[i] === j}
                onChange={() => setAnswers((a) => a.map((x, k) => (k === i ? j : x)))}
              />
              {o}
            </label>
          ))}
        </fieldset>
      ))}
      <button type="submit" disabled={props.busy || answers.some((a) => a === null)}>
        Check my answers
      </button>
    </form>
  );
}

function Items(props: {
  api: string;
  view: Extract<ParticipantView, { stage: "ITEMS" }>;
  onView: (v: ParticipantView) => void;
}) {
  const { api, view, onView } = props;
  const [item, setItem] = useState<ItemView | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [wait, setWait] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [showInstructions, setShowInstructions] = useState(false);
  const activeMs = useActiveTime(item?.assignmentId ?? null);

  const show = useCallback(
    (r: Result<ParticipantNext>) => {
      if (!r.ok) return setMessage({ ok: false, text: r.message });
      if (r.data.state === "item") {
        setItem(r.data.next.item);
        setProgress(r.data.next.progress);
      } else if (r.data.state === "view") onView(r.data.view);
      else setWait(r.data.message);
    },
    [onView],
  );
  const load = useCallback(async () => show(await post<ParticipantNext>(`${api}/next`)), [api, show]);

  useEffect(() => {
    let isCancelled = false;
    post<ParticipantNext>(`${api}/next`).then((r) => {
      if (!isCancelled) show(r);
    });
    return () => {
      isCancelled = true;
    };
  }, [api, show]);

  async function submit(values: RatingValues) {
    if (!item) return;
    setBusy(true);
    // The reply carries the next item too (one request per rating, not two).
    const r = await post<{ view: ParticipantView | null; next?: ParticipantNext }>(`${api}/rating?next=1`, {
      assignmentId: item.assignmentId,
      instructionsVersionId: view.instructionsVersionId,
      ...values,
      activeMs: activeMs(),
    });
    setBusy(false);
    if (!r.ok) return setMessage({ ok: false, text: r.message });
    setMessage(null);
    if (r.data.view) return onView(r.data.view);
    if (r.data.next) show({ ok: true, data: r.data.next });
    else await load();
  }

  async function skip(action: "skip" | "flag", reason: string) {
    if (!item) return;
    setBusy(true);
    const r = await post<{ view: ParticipantView | null }>(`${api}/skip`, {
      assignmentId: item.assignmentId,
      action,
      reason,
    });
    setBusy(false);
    if (!r.ok) return setMessage({ ok: false, text: r.message });
    if (r.data.view) return onView(r.data.view);
    await load();
  }

  if (wait) return <p role="status">{wait}</p>;
  if (!item) return <p role="status">Loading…</p>;
  return (
    <>
      {showInstructions && (
        <div className="panel">
          <InstructionsView markdown={view.markdown} criteria={view.criteria} />
          <button className="secondary" onClick={() => setShowInstructions(false)}>
            Close the instructions
          </button>
        </div>
      )}
      <RatingForm
        key={item.assignmentId}
        criteria={view.criteria}
        item={item}
        progressLabel={progress ? `Item ${progress.done + 1} of ${progress.total}` : ""}
        busy={busy}
        message={message}
        onSubmit={submit}
        onOpenInstructions={() => setShowInstructions(true)}
        onSkip={skip}
      />
    </>
  );
}
