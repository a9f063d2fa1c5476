"use client";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { InstructionsDialog } from "../_components/instructions-dialog";
import { RankingForm, type RankingValues } from "../_components/ranking-form";
import { RatingForm, type RatingValues } from "../_components/rating-form";
import { useActiveTime } from "../_components/use-active-time";
import type { ItemView as Item, NextResult as Next } from "@/lib/annotation";
import type { Criterion } from "@/lib/annotation";

const LEASE_RENEW_MS = 2 * 60_000;

type CallResult<T> = { ok: true; data: T } | { ok: false; message: string };

async function call<T>(url: string, body?: unknown): Promise<CallResult<T>> {
  const res = await fetch(url, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => null);
  if (!res.ok) return { ok: false, message: json?.error?.message ?? "Something went wrong. Try again." };
  return { ok: true, data: json as T };
}

/**
 * The annotator's loop: instructions (acknowledged once per version), then items one by one.
 * It only ever sends and receives assignment ids, texts and answers.
 */
export function TaskClient(props: {
  studyId: string;
  instructionsVersionId: string;
  criteria: Criterion[];
  hasAcknowledged: boolean;
  instructions: React.ReactNode;
}) {
  const router = useRouter();
  const [acknowledged, setAcknowledged] = useState(props.hasAcknowledged);
  const [next, setNext] = useState<Next | null>(null);
  const [revising, setRevising] = useState<Item | null>(null);
  const [previousId, setPreviousId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [showInstructions, setShowInstructions] = useState(false);
  const item = revising ?? (next?.state === "item" ? next.item : null);
  // A RANKING study's screen: every text of a source at once (no revising of earlier screens).
  const screen = !revising && next?.state === "screen" ? next.screen : null;
  const activeMs = useActiveTime(
    item ? `${item.assignmentId}:${revising ? "r" : "n"}` : screen ? `${screen.screenId}:s` : null,
  );

  const fetchNext = useCallback(() => call<Next>(`/api/annotation/studies/${props.studyId}/next`, {}), [props.studyId]);
  const showNext = useCallback(
    (r: CallResult<Next>) => {
      if (r.ok) setNext(r.data);
      else setMessage({ ok: false, text: r.message });
      // The researchers published new instructions: the page reloads them (and remounts this loop).
      if (r.ok && r.data.state === "instructions") router.refresh();
    },
    [router],
  );
  const loadNext = useCallback(async () => showNext(await fetchNext()), [fetchNext, showNext]);

  useEffect(() => {
    if (!acknowledged) return;
    let isCancelled = false;
    fetchNext().then((r) => {
      if (!isCancelled) showNext(r);
    });
    return () => {
      isCancelled = true;
    };
  }, [acknowledged, fetchNext, showNext]);

  async function acknowledge() {
    setBusy(true);
    const r = await call(`/api/annotation/studies/${props.studyId}/acknowledge`, {
      instructionsVersionId: props.instructionsVersionId,
    });
    setBusy(false);
    if (r.ok) setAcknowledged(true);
    else setMessage({ ok: false, text: r.message });
  }

  async function submit(values: RatingValues) {
    if (!item || busy) return;
    setBusy(true);
    setMessage(null);
    // The reply carries the next item too (one request per rating, not two).
    const r = await call<{ revision: number; next: Next }>(
      `/api/annotation/assignments/${item.assignmentId}/rating?next=1`,
      { ...values, instructionsVersionId: props.instructionsVersionId, activeMs: activeMs() },
    );
    if (r.ok) {
      setMessage({ ok: true, text: revising ? `Revision ${r.data.revision} saved.` : "Saved." });
      setPreviousId(item.assignmentId);
      setRevising(null);
      showNext({ ok: true, data: r.data.next });
    } else setMessage({ ok: false, text: r.message });
    setBusy(false);
  }

  async function submitScreen(values: RankingValues) {
    if (!screen || busy) return;
    setBusy(true);
    setMessage(null);
    const r = await call(`/api/annotation/screens/${screen.screenId}/ranking`, {
      ...values,
      instructionsVersionId: props.instructionsVersionId,
      activeMs: activeMs(),
    });
    if (r.ok) {
      setMessage({ ok: true, text: "Saved." });
      await loadNext();
    } else setMessage({ ok: false, text: r.message });
    setBusy(false);
  }

  async function skip(action: "skip" | "flag", reason: string) {
    if (!item && !screen) return;
    setBusy(true);
    const r = await call(
      item
        ? `/api/annotation/assignments/${item.assignmentId}/skip`
        : `/api/annotation/screens/${screen!.screenId}/skip`,
      { action, reason },
    );
    if (r.ok) {
      setMessage({ ok: true, text: action === "flag" ? "Flagged. Thank you." : "Skipped." });
      await loadNext();
    } else setMessage({ ok: false, text: r.message });
    setBusy(false);
  }

  async function revisePrevious() {
    if (!previousId) return;
    setBusy(true);
    const r = await call<{ item: Item }>(`/api/annotation/assignments/${previousId}`);
    setBusy(false);
    if (r.ok) {
      setRevising(r.data.item);
      setMessage(null);
    } else setMessage({ ok: false, text: r.message });
  }

  // While the item is on screen, keep it reserved (the lease would otherwise run out on a long item).
  const openUrl =
    next?.state === "item"
      ? `/api/annotation/assignments/${next.item.assignmentId}/lease`
      : next?.state === "screen"
        ? `/api/annotation/screens/${next.screen.screenId}/lease`
        : null;
  useEffect(() => {
    if (!openUrl) return;
    const timer = window.setInterval(() => {
      if (document.visibilityState !== "visible") return;
      void call<{ isRenewed: boolean }>(openUrl, {}).then((r) => {
        if (r.ok && !r.data.isRenewed)
          setMessage({
            ok: false,
            text: "Your time on this item ran out and it went back to the pool. Reload the page to continue.",
          });
      });
    }, LEASE_RENEW_MS);
    return () => window.clearInterval(timer);
  }, [openUrl]);

  const dialog = (
    <InstructionsDialog open={showInstructions} onClose={() => setShowInstructions(false)}>
      {props.instructions}
    </InstructionsDialog>
  );

  if (acknowledged && next?.state === "instructions")
    return <p role="status">The instructions have changed; loading the new version…</p>;
  if (!acknowledged) {
    return (
      <div>
        <h2>Before you start: the instructions</h2>
        <div className="panel">{props.instructions}</div>
        <button type="button" onClick={acknowledge} disabled={busy}>
          I have read the instructions: start
        </button>
        <p role="alert" className="error">
          {message?.ok ? null : message?.text}
        </p>
      </div>
    );
  }
  if (!next) return <p role="status">Loading the next item…</p>;
  const progress = next.progress;
  if (screen) {
    return (
      <>
        {dialog}
        <RankingForm
          key={screen.screenId}
          criteria={props.criteria}
          screen={screen}
          progressLabel={`Item ${Math.min(progress.done + 1, progress.total)} of ${progress.total}`}
          busy={busy}
          message={message}
          onSubmit={submitScreen}
          onSkip={skip}
          onOpenInstructions={() => setShowInstructions(true)}
        />
      </>
    );
  }
  if (item) {
    return (
      <>
        {dialog}
        <RatingForm
          key={`${item.assignmentId}:${revising ? `r${item.rating?.revision}` : "n"}`}
          criteria={props.criteria}
          item={item}
          progressLabel={
            revising
              ? `Revising your earlier answer (revision ${(item.rating?.revision ?? 0) + 1})`
              : `Item ${Math.min(progress.done + 1, progress.total)} of ${progress.total}`
          }
          busy={busy}
          message={message}
          onSubmit={submit}
          onSkip={skip}
          onOpenInstructions={() => setShowInstructions(true)}
          extraActions={
            revising ? (
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  setRevising(null);
                  setMessage(null);
                }}
              >
                Back to the current item
              </button>
            ) : previousId ? (
              <button type="button" className="secondary" onClick={revisePrevious} disabled={busy}>
                Revise my previous answer
              </button>
            ) : null
          }
        />
      </>
    );
  }
  return (
    <div>
      {dialog}
      <p role="status" className="panel">
        {"message" in next ? next.message : ""} ({progress.done} done)
      </p>
      {message && <p className={message.ok ? "ok" : "error"}>{message.text}</p>}
      {previousId && (
        <button type="button" className="secondary" onClick={revisePrevious}>
          Revise my previous answer
        </button>
      )}
      <button type="button" className="secondary" onClick={() => setShowInstructions(true)}>
        Instructions (?)
      </button>
    </div>
  );
}
