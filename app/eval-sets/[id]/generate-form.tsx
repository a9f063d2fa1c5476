"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useForm, useWatch } from "react-hook-form";
import { startGenerationAction } from "./actions";

type SystemOption = { id: string; name: string; kind: string; hasApiKey: boolean | null };
type Values = {
  systemId: string;
  strategy: "greedy" | "beam" | "diverse-beam" | "sampling";
  numReturnSequences: number;
  numBeams: number;
  numBeamGroups: number;
  diversityPenalty: number;
  topP: number;
  temperature: number;
  seed: number;
  maxNewTokens: number;
  n: number;
};

/** Student settings use Hugging Face generate()'s meanings; teacher settings are N and temperature. */
function settingsFor(kind: string, v: Values): Record<string, unknown> {
  if (kind === "LLM_API") return { n: Number(v.n), temperature: Number(v.temperature) };
  const base = {
    strategy: v.strategy,
    maxNewTokens: Number(v.maxNewTokens),
    numReturnSequences: Number(v.numReturnSequences),
  };
  if (v.strategy === "beam") return { ...base, numBeams: Number(v.numBeams) };
  if (v.strategy === "diverse-beam")
    return {
      ...base,
      numBeams: Number(v.numBeams),
      numBeamGroups: Number(v.numBeamGroups),
      diversityPenalty: Number(v.diversityPenalty),
    };
  if (v.strategy === "sampling")
    return { ...base, topP: Number(v.topP), temperature: Number(v.temperature), seed: Number(v.seed) };
  return { ...base, numReturnSequences: 1 };
}

export function GenerateForm({ evalSetId, systems }: { evalSetId: string; systems: SystemOption[] }) {
  const router = useRouter();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, start] = useTransition();
  const { register, handleSubmit, control } = useForm<Values>({
    defaultValues: {
      systemId: systems[0]?.id ?? "",
      strategy: "diverse-beam",
      numReturnSequences: 4,
      numBeams: 4,
      numBeamGroups: 4,
      diversityPenalty: 0.5,
      topP: 0.9,
      temperature: 0,
      seed: 42,
      maxNewTokens: 48,
      n: 5,
    },
  });
  const systemId = useWatch({ control, name: "systemId" });
  const strategy = useWatch({ control, name: "strategy" });
  const system = systems.find((s) => s.id === systemId);
  if (systems.length === 0)
    return <p>No system can generate: add a teacher on the Systems page or place a model in models/.</p>;
  const onSubmit = (v: Values) =>
    start(async () => {
      const res = await startGenerationAction({
        evalSetId,
        systemId: v.systemId,
        settings: settingsFor(system?.kind ?? "", v),
      });
      if (res.ok) {
        setMessage({
          ok: true,
          text:
            res.data.reused === res.data.total
              ? `All ${res.data.total} items already had outputs with these settings; nothing to do.`
              : `Queued: ${res.data.total - res.data.reused} items to generate, ${res.data.reused} reused.`,
        });
        router.refresh();
      } else setMessage({ ok: false, text: res.error.message });
    });
  return (
    <form className="stack" onSubmit={handleSubmit(onSubmit)} aria-label="Generate outputs">
      <label>
        System
        <select {...register("systemId")}>
          {systems.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} ({s.kind === "LLM_API" ? "teacher LLM" : "student"})
            </option>
          ))}
        </select>
      </label>
      {system?.kind === "LLM_API" ? (
        <>
          {system.hasApiKey === false && (
            <p className="error">
              This teacher&apos;s API key variable is not set on the server; calls may be refused.
            </p>
          )}
          <label>
            Paraphrases per sentence (N)
            <input type="number" min={1} max={20} {...register("n")} />
          </label>
          <label>
            Temperature
            <input type="number" step="0.1" min={0} max={2} {...register("temperature")} />
          </label>
        </>
      ) : (
        <>
          <label>
            Decoding
            <select {...register("strategy")}>
              <option value="greedy">Greedy</option>
              <option value="beam">Beam search</option>
              <option value="diverse-beam">Diverse beam search</option>
              <option value="sampling">Top-p sampling</option>
            </select>
          </label>
          {strategy !== "greedy" && (
            <label>
              Paraphrases per sentence
              <input type="number" min={1} max={16} {...register("numReturnSequences")} />
            </label>
          )}
          {(strategy === "beam" || strategy === "diverse-beam") && (
            <label>
              Beams
              <input type="number" min={2} max={32} {...register("numBeams")} />
            </label>
          )}
          {strategy === "diverse-beam" && (
            <>
              <label>
                Beam groups
                <input type="number" min={2} max={32} {...register("numBeamGroups")} />
              </label>
              <label>
                Diversity penalty
                <input type="number" step="0.1" min={0} {...register("diversityPenalty")} />
              </label>
            </>
          )}
          {strategy === "sampling" && (
            <>
              <label>
                Top-p
                <input type="number" step="0.05" min={0.05} max={1} {...register("topP")} />
              </label>
              <label>
                Temperature
                <input type="number" step="0.1" min={0.1} {...register("temperature")} />
              </label>
              <label>
                Seed
                <input type="number" min={0} {...register("seed")} />
              </label>
            </>
          )}
          <label>
            Max new tokens
            <input type="number" min={1} max={256} {...register("maxNewTokens")} />
          </label>
        </>
      )}
      <p role="status" className={message?.ok ? "ok" : "error"}>
        {message?.text}
      </p>
      <button type="submit" disabled={pending}>
        Generate
      </button>
    </form>
  );
}
