"use client";
import { useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { createTeacherSystemAction, rescanModelsAction } from "./actions";

type Values = { name: string; baseUrl: string; modelName: string; apiKeyEnv: string; n: number; temperature: number; maxConcurrency: number };

export function AddTeacherForm() {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const { register, handleSubmit, reset, formState } = useForm<Values>({
    defaultValues: { name: "", baseUrl: "https://api.openai.com/v1", modelName: "gpt-3.5-turbo", apiKeyEnv: "TEACHER_API_KEY", n: 5, temperature: 0, maxConcurrency: 4 },
  });
  async function onSubmit(v: Values) {
    const res = await createTeacherSystemAction({ ...v, n: Number(v.n), temperature: Number(v.temperature), maxConcurrency: Number(v.maxConcurrency) });
    if (res.ok) {
      setMessage({ ok: true, text: `Added ${res.data.name}.` });
      reset();
    } else setMessage({ ok: false, text: res.error.message });
  }
  return (
    <form className="stack" onSubmit={handleSubmit(onSubmit)} aria-label="Add a teacher LLM">
      <label>Name<input {...register("name")} required /></label>
      <label>Base URL (OpenAI-compatible, including /v1)<input {...register("baseUrl")} required /></label>
      <label>Model<input {...register("modelName")} required /></label>
      <label>Environment variable holding the API key<input {...register("apiKeyEnv")} /></label>
      <label>Paraphrases per sentence (N)<input type="number" min={1} max={20} {...register("n")} /></label>
      <label>Temperature<input type="number" step="0.1" min={0} max={2} {...register("temperature")} /></label>
      <label>Concurrent requests<input type="number" min={1} max={64} {...register("maxConcurrency")} /></label>
      <p role="status" className={message?.ok ? "ok" : "error"}>{message?.text}</p>
      <button type="submit" disabled={formState.isSubmitting}>Add teacher</button>
    </form>
  );
}

export function RescanButton() {
  const [pending, start] = useTransition();
  const [note, setNote] = useState<string | null>(null);
  return (
    <>
      <button type="button" disabled={pending} onClick={() => start(async () => {
        const res = await rescanModelsAction();
        setNote(res.ok ? `Found: ${res.data.models.join(", ") || "none"}${res.data.incomplete.length ? `; incomplete: ${res.data.incomplete.map((m) => `${m.name} (missing ${m.missing.join(", ")})`).join("; ")}` : ""}` : res.error.message);
      })}>Rescan models/</button>
      <p role="status">{note}</p>
    </>
  );
}
