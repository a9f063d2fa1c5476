import { existsSync } from "node:fs";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import * as ort from "onnxruntime-node";
import type { ModelInfo } from "./discover-models";
import { generate } from "./generate";
import { GenerationOptionsSchema } from "./schemas";
import { openModel, type LoadedModel, type SessionOpener } from "./seq2seq-model";
import { intraOpThreads, sessionOptions } from "./session-cache";

/**
 * Which decoder runs the key/value cache of a folder that has both decoder_with_past_model.onnx
 * and decoder_model_merged.onnx (optimum-cli's default export), and why.
 */
export type DecoderChoice = {
  decoder: "decoder_with_past" | "merged";
  /** Best of the timed warm-up generations, each plan. */
  splitMs: number;
  mergedMs: number;
  measuredAt: string;
  /** "measured" in this process, or read from the scan's record (models/.cache/decoder-choice.json). */
  source: "measured" | "recorded";
};

/** Times one generation of a loaded model (the seam tests replace). */
export type PlanTimer = (model: LoadedModel) => Promise<number>;

// Batch 2, beam 4, 6 tokens: the steps a job runs (cached decoder rows reordered by the beams),
// short enough to cost well under a second on a T5-small-sized model
const WARMUP_INPUTS = ["The quick brown fox jumps over the lazy dog.", "Students are distilled from a larger model."];
const WARMUP = GenerationOptionsSchema.parse({
  strategy: "beam",
  numBeams: 4,
  maxNewTokens: 6,
  minNewTokens: 6,
});

const timeGeneration: PlanTimer = async (model) => {
  const t0 = performance.now();
  await generate(model, WARMUP_INPUTS, WARMUP);
  return performance.now() - t0;
};

let timer: PlanTimer = timeGeneration;

/** Replaces how a plan is timed (tests); null restores the real timing. */
export function setPlanTimerForTests(fn: PlanTimer | null): void {
  timer = fn ?? timeGeneration;
}

const chosen = new Map<string, Promise<DecoderChoice>>();

/** Forgets this process's choices (tests): the next scan reads the record or measures again. */
export function forgetDecoderChoices(): void {
  chosen.clear();
}

/** The record of choices beside the model folders: models/.cache/decoder-choice.json. */
export function choiceRecordFile(info: ModelInfo): string {
  return path.join(path.dirname(info.path), ".cache", "decoder-choice.json");
}

/** What a choice depends on: the files (size, time) and the threads a session uses. */
async function signatureOf(split: ModelInfo, merged: ModelInfo): Promise<string> {
  const files = [split.files.encoder!, split.plan.first, split.plan.withPast!, merged.plan.withPast!];
  const parts = await Promise.all(
    files.map(async (f) => {
      const s = await stat(path.join(split.onnxPath, f));
      return `${f}:${s.size}:${Math.round(s.mtimeMs)}`;
    }),
  );
  return [...parts, `threads:${intraOpThreads()}`, `ort:${ort.env.versions.common}`].join("|");
}

type Recorded = Record<string, { signature: string; choice: Omit<DecoderChoice, "source"> }>;

async function readRecord(file: string): Promise<Recorded> {
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(await readFile(file, "utf8")) as Recorded;
  } catch {
    return {};
  }
}

/** Adds one choice to the record; a folder that cannot be written keeps the choice in memory only. */
async function record(file: string, key: string, entry: Recorded[string]): Promise<void> {
  try {
    await mkdir(path.dirname(file), { recursive: true });
    const all = { ...(await readRecord(file)), [key]: entry };
    // Written whole, then renamed: two processes scanning at once never leave half a file
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(tmp, JSON.stringify(all, null, 1));
    await rename(tmp, file);
  } catch {
    // read-only models/: measured again by the next process
  }
}

/** Times both plans on their own sessions (released afterwards), alternating, best of two each. */
async function measure(split: ModelInfo, merged: ModelInfo): Promise<Omit<DecoderChoice, "source">> {
  const sessions: ort.InferenceSession[] = [];
  const open: SessionOpener = async (file, bytes) => {
    const s = await (bytes
      ? ort.InferenceSession.create(bytes, sessionOptions())
      : ort.InferenceSession.create(file, sessionOptions()));
    sessions.push(s);
    return s;
  };
  try {
    const models = [await openModel(split, open), await openModel(merged, open)];
    // The first run of a session allocates its buffers: not counted
    for (const m of models) await timer(m);
    const best = [Infinity, Infinity];
    for (let rep = 0; rep < 2; rep++) {
      for (let i = 0; i < 2; i++) best[i] = Math.min(best[i], await timer(models[i]));
    }
    return {
      decoder: best[1] < best[0] ? "merged" : "decoder_with_past",
      splitMs: best[0],
      mergedMs: best[1],
      measuredAt: new Date().toISOString(),
    };
  } finally {
    await Promise.all(sessions.map((s) => s.release()));
  }
}

/**
 * Measures once (per process and per file version; the result is recorded beside the model
 * folders so the scan and the inference worker agree) which cached decoder generates faster:
 * the separate decoders or the merged one. Ties go to the separate decoders.
 */
export async function chooseCachedDecoder(split: ModelInfo, merged: ModelInfo): Promise<DecoderChoice> {
  const signature = await signatureOf(split, merged);
  const key = `${path.basename(split.path)}\0${split.name}`;
  const memoKey = `${split.path}\0${split.name}\0${signature}`;
  let choice = chosen.get(memoKey);
  if (!choice) {
    choice = (async (): Promise<DecoderChoice> => {
      const file = choiceRecordFile(split);
      const known = (await readRecord(file))[key];
      if (known && known.signature === signature) return { ...known.choice, source: "recorded" };
      const measured = await measure(split, merged);
      await record(file, key, { signature, choice: measured });
      return { ...measured, source: "measured" };
    })();
    choice.catch(() => chosen.delete(memoKey));
    chosen.set(memoKey, choice);
  }
  return choice;
}

/** The Systems page's words for a choice. */
export function describeChoice(c: DecoderChoice): string {
  const ms = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;
  const [winner, loser] =
    c.decoder === "merged"
      ? [`merged decoder ${ms(c.mergedMs)}`, `separate decoders ${ms(c.splitMs)}`]
      : [`separate decoders ${ms(c.splitMs)}`, `merged decoder ${ms(c.mergedMs)}`];
  return `chosen as the faster of both cached decoders (beam 4, batch 2, 6 tokens: ${winner} vs ${loser}, measured ${c.measuredAt.slice(0, 16).replace("T", " ")} UTC)`;
}
