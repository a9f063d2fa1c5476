"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { AcceptInvitationInput } from "@/lib/users/schemas";
import { acceptInvitationAction } from "./actions";

// Name and password rules come from the use case's schema; only the repeat check is the form's.
const Schema = AcceptInvitationInput.pick({ name: true, password: true })
  .extend({ confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The passwords do not match" });
type Values = z.infer<typeof Schema>;

export function AcceptInvitationForm({ token }: { token: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const { register, handleSubmit, formState } = useForm<Values>({ resolver: zodResolver(Schema) });
  async function onSubmit(v: Values) {
    setError(null);
    const res = await acceptInvitationAction({ token, name: v.name, password: v.password });
    if (!res.ok) return setError(res.error.message);
    await signIn("credentials", { email: res.data.email, password: v.password, redirect: false });
    router.replace("/");
    router.refresh();
  }
  const e = formState.errors;
  return (
    <form className="stack" onSubmit={handleSubmit(onSubmit)} noValidate>
      <label>
        Your name
        <input {...register("name")} />
        <span className="error">{e.name?.message}</span>
      </label>
      <label>
        Password
        <input type="password" autoComplete="new-password" {...register("password")} />
        <span className="error">{e.password?.message}</span>
      </label>
      <label>
        Repeat password
        <input type="password" autoComplete="new-password" {...register("confirm")} />
        <span className="error">{e.confirm?.message}</span>
      </label>
      <p role="alert" className="error">
        {error}
      </p>
      <button type="submit" disabled={formState.isSubmitting}>
        Create my account
      </button>
    </form>
  );
}
