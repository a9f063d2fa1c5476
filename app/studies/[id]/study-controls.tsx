"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import {
  launchStudyAction,
  setParticipantPausedAction,
  setParticipantsAction,
  setStudyStatusAction,
  updateStudySettingsAction,
} from "../actions";

type Status = "DRAFT" | "LIVE" | "PAUSED" | "CLOSED";

export function StatusControls({ studyId, status }: { studyId: string; status: Status }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const run = (
    fn: () => Promise<{ ok: true; data: unknown } | { ok: false; error: { message: string } }>,
    done: (d: never) => string,
  ) =>
    start(async () => {
      const res = await fn();
      setNote(res.ok ? { ok: true, text: done(res.data as never) } : { ok: false, text: res.error.message });
      if (res.ok) router.refresh();
    });
  const move = (to: "LIVE" | "PAUSED" | "CLOSED", label: string) =>
    run(
      () => setStudyStatusAction({ studyId, status: to }),
      () => label,
    );
  return (
    <div className="actions" style={{ display: "flex", gap: "0.5rem", flexWrap: "wrap", alignItems: "center" }}>
      {status === "DRAFT" && (
        <button
          type="button"
          disabled={pending}
          onClick={() =>
            run(
              () => launchStudyAction({ studyId }),
              (d: { pairs: number; gold: number; attention: number; skippedItems: number; note: string | null }) =>
                `Launched with ${d.pairs} pairs (${d.gold} gold, ${d.attention} attention checks${d.skippedItems ? `; ${d.skippedItems} items lacked outputs` : ""}).${d.note ? ` ${d.note}` : ""}`,
            )
          }
        >
          Launch study
        </button>
      )}
      {status === "LIVE" && (
        <button type="button" className="secondary" disabled={pending} onClick={() => move("PAUSED", "Paused.")}>
          Pause study
        </button>
      )}
      {status === "PAUSED" && (
        <button type="button" disabled={pending} onClick={() => move("LIVE", "Resumed.")}>
          Resume study
        </button>
      )}
      {(status === "LIVE" || status === "PAUSED") && (
        <button
          type="button"
          className="danger"
          disabled={pending}
          onClick={() => {
            if (window.confirm("Close the study? Annotators can no longer rate or revise.")) move("CLOSED", "Closed.");
          }}
        >
          Close study
        </button>
      )}
      <span role="status" className={note?.ok ? "ok" : "error"}>
        {note?.text}
      </span>
    </div>
  );
}

interface Settings {
  annotatorsPerPair: number;
  maxPairsPerAnnotator: number | null;
  goldShare: number;
  attentionShare: number;
  minGoldAccuracy: number | null;
  leaseMinutes: number;
}

export function SettingsForm({
  studyId,
  status,
  name,
  settings,
}: {
  studyId: string;
  status: Status;
  name: string;
  settings: Settings;
}) {
  const router = useRouter();
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const locked = status !== "DRAFT";
  const { register, handleSubmit, formState } = useForm({
    defaultValues: {
      name,
      annotatorsPerPair: String(settings.annotatorsPerPair),
      maxPairsPerAnnotator: settings.maxPairsPerAnnotator?.toString() ?? "",
      goldShare: String(settings.goldShare),
      attentionShare: String(settings.attentionShare),
      minGoldAccuracy: settings.minGoldAccuracy?.toString() ?? "",
      leaseMinutes: String(settings.leaseMinutes),
    },
  });
  async function onSubmit(v: Record<string, string>) {
    const res = await updateStudySettingsAction({
      studyId,
      name: v.name,
      ...(locked
        ? {}
        : {
            annotatorsPerPair: Number(v.annotatorsPerPair),
            goldShare: Number(v.goldShare),
            attentionShare: Number(v.attentionShare),
          }),
      maxPairsPerAnnotator: v.maxPairsPerAnnotator ? Number(v.maxPairsPerAnnotator) : null,
      minGoldAccuracy: v.minGoldAccuracy ? Number(v.minGoldAccuracy) : null,
      leaseMinutes: Number(v.leaseMinutes),
    });
    setNote(res.ok ? { ok: true, text: "Saved." } : { ok: false, text: res.error.message });
    if (res.ok) router.refresh();
  }
  const closed = status === "CLOSED";
  return (
    <form className="stack" onSubmit={handleSubmit(onSubmit)} aria-label="Study settings">
      <label>
        Name
        <input {...register("name")} disabled={closed} />
      </label>
      <label>
        Annotators per pair (k)
        <input type="number" {...register("annotatorsPerPair")} disabled={locked} />
      </label>
      <label>
        Gold share
        <input type="number" step="0.01" {...register("goldShare")} disabled={locked} />
      </label>
      <label>
        Attention-check share
        <input type="number" step="0.01" {...register("attentionShare")} disabled={locked} />
      </label>
      {locked && (
        <p className="muted">
          k and the gold and attention shares are locked once the study has launched: its pairs were built and rated
          with them.
        </p>
      )}
      <label>
        Cap per annotator (empty: none)
        <input type="number" {...register("maxPairsPerAnnotator")} disabled={closed} />
      </label>
      <label>
        Pause below gold accuracy (empty: never)
        <input type="number" step="0.05" {...register("minGoldAccuracy")} disabled={closed} />
      </label>
      <label>
        Lease (minutes)
        <input type="number" {...register("leaseMinutes")} disabled={closed} />
      </label>
      <p role="status" className={note?.ok ? "ok" : "error"}>
        {note?.text}
      </p>
      <button type="submit" disabled={closed || formState.isSubmitting}>
        Save settings
      </button>
    </form>
  );
}

export function ParticipantsForm({
  studyId,
  annotators,
  selected,
  disabled,
}: {
  studyId: string;
  annotators: { id: string; name: string; email: string }[];
  selected: string[];
  disabled: boolean;
}) {
  const router = useRouter();
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const { register, handleSubmit, formState } = useForm<{ userIds: string[] }>({
    defaultValues: { userIds: selected },
  });
  async function onSubmit(v: { userIds: string[] }) {
    const res = await setParticipantsAction({ studyId, userIds: v.userIds });
    setNote(
      res.ok ? { ok: true, text: `${res.data.participants} participants.` } : { ok: false, text: res.error.message },
    );
    if (res.ok) router.refresh();
  }
  return (
    <form className="stack" onSubmit={handleSubmit(onSubmit)} aria-label="Participants">
      {annotators.map((a) => (
        <label key={a.id} style={{ display: "flex", gap: "0.5rem", fontWeight: 400 }}>
          <input type="checkbox" value={a.id} {...register("userIds")} disabled={disabled} /> {a.name} ({a.email})
        </label>
      ))}
      <p role="status" className={note?.ok ? "ok" : "error"}>
        {note?.text}
      </p>
      <button type="submit" disabled={disabled || formState.isSubmitting}>
        Save participants
      </button>
    </form>
  );
}

export function ParticipantPauseButton({
  studyId,
  userId,
  isPaused,
  name,
}: {
  studyId: string;
  userId: string;
  isPaused: boolean;
  name: string;
}) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        className="secondary"
        disabled={pending}
        onClick={() =>
          start(async () => {
            const res = await setParticipantPausedAction({ studyId, userId, isPaused: !isPaused });
            if (res.ok) router.refresh();
            else setError(res.error.message);
          })
        }
      >
        {isPaused ? `Resume ${name}` : `Pause ${name}`}
      </button>
      {error && (
        <span className="error" role="alert">
          {" "}
          {error}
        </span>
      )}
    </>
  );
}
