"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { CreateUserInput } from "@/lib/users/schemas";
import { createUserAction, inviteUserAction, resetPasswordAction, setUserActiveAction } from "./actions";

// The form validates with the use case's own schema, so the two cannot disagree on what is valid.
type CreateValues = CreateUserInput;

export function CreateUserForm() {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const { register, handleSubmit, reset, setError, formState } = useForm<CreateValues>({
    resolver: zodResolver(CreateUserInput),
    defaultValues: { role: "ANNOTATOR" },
  });
  async function onSubmit(values: CreateValues) {
    const res = await createUserAction(values);
    if (res.ok) {
      setMessage({ ok: true, text: `Created ${res.data.email}.` });
      reset({ role: values.role, name: "", email: "", password: "" });
    } else {
      for (const [field, msg] of Object.entries(res.error.fields ?? {}))
        setError(field as keyof CreateValues, { message: msg });
      setMessage({ ok: false, text: res.error.message });
    }
  }
  const e = formState.errors;
  return (
    <form className="stack" onSubmit={handleSubmit(onSubmit)} noValidate aria-label="Create a user">
      <label>
        Name
        <input {...register("name")} aria-invalid={!!e.name} />
        <span className="error">{e.name?.message}</span>
      </label>
      <label>
        Email
        <input type="email" {...register("email")} aria-invalid={!!e.email} />
        <span className="error">{e.email?.message}</span>
      </label>
      <label>
        Role
        <select {...register("role")}>
          <option value="ANNOTATOR">Annotator</option>
          <option value="RESEARCHER">Researcher</option>
          <option value="ADMIN">Admin</option>
        </select>
      </label>
      <label>
        Initial password
        <input type="password" autoComplete="new-password" {...register("password")} aria-invalid={!!e.password} />
        <span className="error">{e.password?.message}</span>
      </label>
      <p role="status" className={message?.ok ? "ok" : "error"}>
        {message?.text}
      </p>
      <button type="submit" disabled={formState.isSubmitting}>
        Create user
      </button>
    </form>
  );
}

const InviteSchema = z.object({
  email: z.email("Enter a valid email address"),
  role: z.enum(["ADMIN", "RESEARCHER", "ANNOTATOR"]),
  validForHours: z.coerce.number<number>().int().min(1).max(336),
});
type InviteValues = z.infer<typeof InviteSchema>;

export function InviteForm() {
  const [link, setLink] = useState<string | null>(null);
  const [error, setErrorText] = useState<string | null>(null);
  const { register, handleSubmit, formState } = useForm<InviteValues>({
    resolver: zodResolver(InviteSchema),
    defaultValues: { role: "ANNOTATOR", validForHours: 72 },
  });
  async function onSubmit(values: InviteValues) {
    setErrorText(null);
    const res = await inviteUserAction(values);
    if (res.ok) setLink(`${window.location.origin}${res.data.path}`);
    else setErrorText(res.error.message);
  }
  return (
    <form className="stack" onSubmit={handleSubmit(onSubmit)} noValidate aria-label="Invite by link">
      <label>
        Email
        <input type="email" {...register("email")} />
        <span className="error">{formState.errors.email?.message}</span>
      </label>
      <label>
        Role
        <select {...register("role")}>
          <option value="ANNOTATOR">Annotator</option>
          <option value="RESEARCHER">Researcher</option>
        </select>
      </label>
      <label>
        Link valid for (hours)
        <input type="number" {...register("validForHours")} />
      </label>
      <p role="alert" className="error">
        {error}
      </p>
      {link && (
        <p className="ok">
          One-time link (shown once; send it to the person):
          <br />
          <code data-testid="invite-link">{link}</code>
        </p>
      )}
      <button type="submit" disabled={formState.isSubmitting}>
        Create invitation
      </button>
    </form>
  );
}

export function UserRowActions({
  userId,
  email,
  isActive,
  isSelf,
}: {
  userId: string;
  email: string;
  isActive: boolean;
  isSelf: boolean;
}) {
  const [pending, start] = useTransition();
  const [note, setNote] = useState<string | null>(null);
  const [password, setPassword] = useState("");
  return (
    <div>
      <form
        onSubmit={(ev) => {
          ev.preventDefault();
          start(async () => {
            const res = await resetPasswordAction({ userId, password });
            setNote(res.ok ? "Password reset." : res.error.message);
            if (res.ok) setPassword("");
          });
        }}
      >
        <label className="visually-hidden" htmlFor={`pw-${userId}`}>
          New password for {email}
        </label>
        <input
          id={`pw-${userId}`}
          type="password"
          placeholder="New password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="new-password"
        />
        <button type="submit" className="secondary" disabled={pending || password.length === 0}>
          Reset password
        </button>
      </form>
      {!isSelf && (
        <button
          type="button"
          className={isActive ? "danger" : "secondary"}
          disabled={pending}
          onClick={() =>
            start(async () => {
              const res = await setUserActiveAction({ userId, isActive: !isActive });
              setNote(res.ok ? (res.data.isActive ? "Reactivated." : "Deactivated.") : res.error.message);
            })
          }
        >
          {isActive ? `Deactivate ${email}` : `Reactivate ${email}`}
        </button>
      )}
      <span role="status" className="muted">
        {" "}
        {note}
      </span>
    </div>
  );
}
