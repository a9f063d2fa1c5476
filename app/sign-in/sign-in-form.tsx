"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";

const Schema = z.object({
  email: z.email("Enter a valid email address"),
  password: z.string().min(1, "Enter your password"),
});
type Values = z.infer<typeof Schema>;

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const { register, handleSubmit, formState } = useForm<Values>({ resolver: zodResolver(Schema) });

  async function onSubmit(values: Values) {
    setError(null);
    const res = await signIn("credentials", { ...values, redirect: false });
    if (!res || res.error) {
      setError(res?.error && res.error !== "CredentialsSignin" ? res.error : "Invalid email or password.");
      return;
    }
    router.replace(callbackUrl);
    router.refresh();
  }

  return (
    <form className="stack" onSubmit={handleSubmit(onSubmit)} noValidate>
      <label>
        Email
        <input
          type="email"
          autoComplete="username"
          {...register("email")}
          aria-invalid={!!formState.errors.email}
          aria-describedby="email-err"
        />
        <span id="email-err" className="error">
          {formState.errors.email?.message}
        </span>
      </label>
      <label>
        Password
        <input
          type="password"
          autoComplete="current-password"
          {...register("password")}
          aria-invalid={!!formState.errors.password}
          aria-describedby="password-err"
        />
        <span id="password-err" className="error">
          {formState.errors.password?.message}
        </span>
      </label>
      <p role="alert" className="error">
        {error}
      </p>
      <button type="submit" disabled={formState.isSubmitting}>
        {formState.isSubmitting ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
