"use client";
import { useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import type { SystemView } from "@/lib/systems/schemas";
import {
  createTeacherSystemAction,
  rescanModelsAction,
  setSystemPriceAction,
  updateTeacherSystemAction,
} from "./actions";

type Values = {
  name: string;
  baseUrl: string;
  modelName: string;
  apiKeyEnv: string;
  n: number;
  temperature: number;
  maxConcurrency: number;
};

export function AddTeacherForm() {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const { register, handleSubmit, reset, formState } = useForm<Values>({
    defaultValues: {
      name: "",
      baseUrl: "https://api.openai.com/v1",
      modelName: "gpt-3.5-turbo",
      apiKeyEnv: "TEACHER_API_KEY",
      n: 5,
      temperature: 0,
      maxConcurrency: 4,
    },
  });
  async function onSubmit(v: Values) {
    const res = await createTeacherSystemAction({
      ...v,
      n: Number(v.n),
      temperature: Number(v.temperature),
      maxConcurrency: Number(v.maxConcurrency),
    });
    if (res.ok) {
      setMessage({ ok: true, text: `Added ${res.data.name}.` });
      reset();
    } else setMessage({ ok: false, text: res.error.message });
  }
  return (
    <form className="stack" onSubmit={handleSubmit(onSubmit)} aria-label="Add a teacher LLM">
      <label>
        Name
        <input {...register("name")} required />
      </label>
      <label>
        Base URL (OpenAI-compatible, including /v1)
        <input {...register("baseUrl")} required />
      </label>
      <label>
        Model
        <input {...register("modelName")} required />
      </label>
      <label>
        Environment variable holding the API key
        <input {...register("apiKeyEnv")} />
      </label>
      <label>
        Paraphrases per sentence (N)
        <input type="number" min={1} max={20} {...register("n")} />
      </label>
      <label>
        Temperature
        <input type="number" step="0.1" min={0} max={2} {...register("temperature")} />
      </label>
      <label>
        Concurrent requests
        <input type="number" min={1} max={64} {...register("maxConcurrency")} />
      </label>
      <p role="status" className={message?.ok ? "ok" : "error"}>
        {message?.text}
      </p>
      <button type="submit" disabled={formState.isSubmitting}>
        Add teacher
      </button>
    </form>
  );
}

export function RescanButton() {
  const [pending, start] = useTransition();
  const [note, setNote] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        disabled={pending}
        onClick={() =>
          start(async () => {
            const res = await rescanModelsAction();
            setNote(
              res.ok
                ? `Found: ${res.data.models.join(", ") || "none"}${res.data.incomplete.length ? `; incomplete: ${res.data.incomplete.map((m) => `${m.name} (missing ${m.missing.join(", ")})`).join("; ")}` : ""}`
                : res.error.message,
            );
          })
        }
      >
        Rescan models/
      </button>
      <p role="status">{note}</p>
    </>
  );
}

/** Edit an LLM teacher in place: endpoint, prompt template, N, temperature, concurrency. */
export function EditTeacherForm({ system }: { system: SystemView }) {
  const settings = (system.defaultSettings ?? {}) as { n?: number; temperature?: number };
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const { register, handleSubmit, formState } = useForm<Values & { promptTemplate: string }>({
    defaultValues: {
      baseUrl: system.baseUrl ?? "",
      modelName: system.modelName ?? "",
      apiKeyEnv: system.apiKeyEnv ?? "TEACHER_API_KEY",
      n: settings.n ?? 5,
      temperature: settings.temperature ?? 0,
      maxConcurrency: system.maxConcurrency,
      promptTemplate: system.promptTemplate ?? "",
    },
  });
  async function onSubmit(v: Values & { promptTemplate: string }) {
    const res = await updateTeacherSystemAction({
      id: system.id,
      baseUrl: v.baseUrl,
      modelName: v.modelName,
      apiKeyEnv: v.apiKeyEnv,
      promptTemplate: v.promptTemplate || undefined,
      n: Number(v.n),
      temperature: Number(v.temperature),
      maxConcurrency: Number(v.maxConcurrency),
    });
    setMessage(res.ok ? { ok: true, text: "Saved." } : { ok: false, text: res.error.message });
  }
  return (
    <form className="stack" onSubmit={handleSubmit(onSubmit)} aria-label={`Edit ${system.name}`}>
      <label>
        Base URL
        <input {...register("baseUrl")} />
      </label>
      <label>
        Model
        <input {...register("modelName")} />
      </label>
      <label>
        API key variable
        <input {...register("apiKeyEnv")} />
      </label>
      <label>
        Prompt template (use {"{{n}}"} and {"{{sentence}}"})<textarea rows={6} {...register("promptTemplate")} />
      </label>
      <label>
        Paraphrases per sentence (N)
        <input type="number" min={1} max={20} {...register("n")} />
      </label>
      <label>
        Temperature
        <input type="number" step="0.1" min={0} max={2} {...register("temperature")} />
      </label>
      <label>
        Concurrent requests
        <input type="number" min={1} max={64} {...register("maxConcurrency")} />
      </label>
      <p role="status" className={message?.ok ? "ok" : "error"}>
        {message?.text}
      </p>
      <button type="submit" disabled={formState.isSubmitting}>
        Save
      </button>
    </form>
  );
}

/** A system's prices (admins): per million input / output tokens, and per CPU-hour for ONNX students. */
export function PriceForm({ system }: { system: SystemView }) {
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const isStudentHere = system.kind === "ONNX_MODEL";
  return (
    <form
      aria-label={`Price of ${system.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        const value = (name: string) => String(form.get(name) ?? "");
        start(async () => {
          const res = await setSystemPriceAction({
            systemId: system.id,
            inputPricePerMTokens: value("inputPricePerMTokens"),
            outputPricePerMTokens: value("outputPricePerMTokens"),
            ...(isStudentHere ? { pricePerCpuHour: value("pricePerCpuHour") } : {}),
          });
          setMessage(res.ok ? { ok: true, text: "Saved." } : { ok: false, text: res.error.message });
        });
      }}
    >
      <input
        name="inputPricePerMTokens"
        type="number"
        min={0}
        step="any"
        aria-label="input price per million tokens"
        defaultValue={system.inputPricePerMTokens ?? ""}
        style={{ width: "6rem" }}
      />{" "}
      /{" "}
      <input
        name="outputPricePerMTokens"
        type="number"
        min={0}
        step="any"
        aria-label="output price per million tokens"
        defaultValue={system.outputPricePerMTokens ?? ""}
        style={{ width: "6rem" }}
      />
      {isStudentHere && (
        <label style={{ display: "block" }}>
          per CPU-hour{" "}
          <input
            name="pricePerCpuHour"
            type="number"
            min={0}
            step="any"
            defaultValue={system.pricePerCpuHour ?? ""}
            style={{ width: "6rem" }}
          />
        </label>
      )}{" "}
      <button type="submit" disabled={pending}>
        Save
      </button>
      <span role="status" className={message?.ok ? "ok" : "error"}>
        {" "}
        {message?.text}
      </span>
    </form>
  );
}
