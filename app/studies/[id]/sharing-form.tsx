"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { addCollaboratorAction, removeCollaboratorAction } from "./actions";

type Access = "READ" | "MANAGE";
interface Person {
  id: string;
  name: string;
  email: string;
}

/** The owner's (or an admin's) form: give an active researcher READ or MANAGE access. */
export function AddCollaboratorForm({ studyId, choices }: { studyId: string; choices: Person[] }) {
  const router = useRouter();
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const { register, handleSubmit, formState, reset } = useForm<{ email: string; access: Access }>({
    defaultValues: { email: "", access: "READ" },
  });
  async function onSubmit(v: { email: string; access: Access }) {
    if (!v.email) return setNote({ ok: false, text: "Choose a researcher to add." });
    const res = await addCollaboratorAction({ studyId, email: v.email, access: v.access });
    const who = choices.find((c) => c.email === v.email)?.name ?? v.email;
    setNote(
      res.ok
        ? { ok: true, text: `${who} can now ${v.access === "READ" ? "read" : "manage"} this study.` }
        : {
            ok: false,
            text: res.error.fields?.email ?? res.error.message,
          },
    );
    if (res.ok) {
      reset({ email: "", access: v.access });
      router.refresh();
    }
  }
  if (choices.length === 0)
    return <p className="muted">Every active researcher already has access; there is no one else to add.</p>;
  return (
    <form className="stack" onSubmit={handleSubmit(onSubmit)} aria-label="Add a collaborator">
      <label>
        Researcher
        <select {...register("email")}>
          <option value="">Choose…</option>
          {choices.map((c) => (
            <option key={c.id} value={c.email}>
              {c.name} ({c.email})
            </option>
          ))}
        </select>
      </label>
      <label>
        Access
        <select {...register("access")}>
          <option value="READ">Read: see the study, results and exports</option>
          <option value="MANAGE">Manage: also change settings, participants, launch, pause and close</option>
        </select>
      </label>
      <p role="status" className={note?.ok ? "ok" : "error"}>
        {note?.text}
      </p>
      <button type="submit" disabled={formState.isSubmitting}>
        Add collaborator
      </button>
    </form>
  );
}

/** Takes one collaborator's access away, after a confirmation. */
export function RemoveCollaboratorButton({ studyId, person }: { studyId: string; person: Person }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        className="danger"
        disabled={pending}
        onClick={() => {
          if (!window.confirm(`Remove ${person.name}'s access to this study?`)) return;
          start(async () => {
            const res = await removeCollaboratorAction({ studyId, userId: person.id });
            if (res.ok) router.refresh();
            else setError(res.error.message);
          });
        }}
      >
        Remove {person.name}
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

/** Changes one collaborator's access (read only, or manage) in place. */
export function CollaboratorAccessSelect({
  studyId,
  person,
}: {
  studyId: string;
  person: Person & { access: Access };
}) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <select
        aria-label={`Access of ${person.name}`}
        value={person.access}
        disabled={pending}
        onChange={(e) => {
          const access = e.target.value as Access;
          start(async () => {
            const res = await addCollaboratorAction({ studyId, email: person.email, access });
            if (res.ok) router.refresh();
            else setError(res.error.message);
          });
        }}
      >
        <option value="READ">Read</option>
        <option value="MANAGE">Manage</option>
      </select>
      {error && (
        <span className="error" role="alert">
          {" "}
          {error}
        </span>
      )}
    </>
  );
}
