import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discoverModels, findModel, type ModelInfo } from "./discover-models";
import { generate } from "./generate";
import { resolveGenerationOptions } from "./generation-config";
import { runParaphrase } from "./run-paraphrase";
import { loadModel, type LoadedModel } from "./seq2seq-model";
import { writeWithExternalData } from "./testing/external-data";
import {
  expected,
  OPTIMUM_DIR,
  OPTIMUM_MODELS,
  optimumReference,
  optionsForKwargs,
  type OptimumModel,
} from "./testing/optimum";

// Real optimum-cli exports (testing/fixtures/optimum/README.md) against transformers 4.57.6's
// generate() on the same weights (reference.json, one input at a time).

const FLOAT_VARIANTS = ["default", "no-post-process", "merged-only", "transformers-js"] as const;

/** A run-counting stand-in for a session: every run() goes through to the real one. */
function counting(session: ort.InferenceSession, runs: { n: number }): ort.InferenceSession {
  return new Proxy(session, {
    get(target, prop) {
      if (prop === "run")
        return (...args: Parameters<ort.InferenceSession["run"]>) => {
          runs.n++;
          return target.run(...args);
        };
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

describe.each(OPTIMUM_MODELS)("%s exports", (model: OptimumModel) => {
  const dir = path.join(OPTIMUM_DIR, model);
  const ref = optimumReference(model);
  let found: Map<string, ModelInfo>;

  beforeAll(async () => {
    const result = await discoverModels(dir);
    expect(result.incomplete).toEqual([]);
    found = new Map(result.models.map((m) => [m.name, m]));
    // A folder with both cached decoders times one generation with each (choose-decoder.ts)
  }, 60_000);

  it("finds every layout as what it is", () => {
    expect([...found.keys()].sort()).toEqual(
      ["default", "int8", "merged-only", "no-post-process", "transformers-js", "transformers-js (int8)"].sort(),
    );
    const summary = (name: string) => {
      const m = found.get(name)!;
      return { layout: m.layout, precision: m.precision, cache: m.cacheSource, plan: m.plan };
    };
    const split = {
      first: "decoder_model.onnx",
      withPast: "decoder_with_past_model.onnx",
      noCache: "decoder_model.onnx",
    };
    // The default export has a merged decoder too: the cached decoder measured faster runs
    const merged = "decoder_model_merged.onnx";
    const mergedPlan = { first: merged, withPast: merged, noCache: "decoder_model.onnx" };
    for (const name of ["default", "transformers-js"]) {
      const choice = found.get(name)!.decoderChoice!;
      expect(choice.splitMs).toBeGreaterThan(0);
      expect(choice.mergedMs).toBeGreaterThan(0);
      expect(summary(name)).toEqual({
        layout: name === "default" ? "optimum" : "transformers.js",
        precision: "fp32",
        cache: choice.decoder,
        plan: choice.decoder === "merged" ? mergedPlan : split,
      });
    }
    expect(found.get("default")!.hasMergedDecoder).toBe(true);
    expect(summary("no-post-process")).toEqual({
      layout: "optimum",
      precision: "fp32",
      cache: "decoder_with_past",
      plan: split,
    });
    expect(found.get("no-post-process")!.decoderChoice).toBeNull();
    expect(summary("merged-only")).toEqual({
      layout: "optimum",
      precision: "fp32",
      cache: "merged",
      plan: { first: merged, withPast: merged, noCache: merged },
    });
    const int8 = found.get("transformers-js (int8)")!;
    expect(summary("transformers-js (int8)")).toEqual({
      layout: "transformers.js",
      precision: "int8",
      cache: int8.decoderChoice!.decoder,
      plan:
        int8.decoderChoice!.decoder === "merged"
          ? {
              first: "decoder_model_merged_quantized.onnx",
              withPast: "decoder_model_merged_quantized.onnx",
              noCache: "decoder_model_quantized.onnx",
            }
          : {
              first: "decoder_model_quantized.onnx",
              withPast: "decoder_with_past_model_quantized.onnx",
              noCache: "decoder_model_quantized.onnx",
            },
    });
    expect(summary("int8")).toMatchObject({ layout: "optimum", precision: "int8" });
    expect(found.get("int8")!.hasKvCache).toBe(true);
    expect(found.get("transformers-js (int8)")!.description).toMatch(/int8: onnx\/encoder_model_quantized\.onnx \+/);
    expect(found.get("merged-only")!.description).toMatch(/merged decoder, use_cache_branch/);
  });

  it("counts every variant's parameters (int8 included) within 0.5% of the true count", () => {
    for (const m of found.values()) {
      expect(Math.abs(m.parameterCount / ref.parameters - 1), m.name).toBeLessThan(0.005);
      expect(m.parameterCountSource).toBe("onnx-initializers");
      if (m.precision === "int8") expect(m.int8ParameterCount, m.name).toBeGreaterThan(ref.parameters * 0.9);
      else expect(m.int8ParameterCount).toBe(0);
    }
  });

  it("counts on disk only the files that run", () => {
    for (const m of found.values()) {
      const bytes = m.runFiles.reduce((a, f) => a + statSync(path.join(m.path, f)).size, 0);
      expect(m.sizeOnDiskBytes).toBe(bytes);
    }
    // of the default export's two cached decoders, only the chosen one is counted
    const runs = found.get("default")!.runFiles;
    const chosenMerged = found.get("default")!.decoderChoice!.decoder === "merged";
    expect(runs.includes("decoder_model_merged.onnx")).toBe(chosenMerged);
    expect(runs.includes("decoder_with_past_model.onnx")).toBe(!chosenMerged);
    expect(found.get("transformers-js")!.runFiles.some((f) => f.includes("quantized"))).toBe(false);
  });

  describe.each(FLOAT_VARIANTS)("%s", (variant) => {
    let loaded: LoadedModel;
    const withPastRuns = { n: 0 };
    beforeAll(async () => {
      const real = await loadModel((await findModel(variant, dir))!);
      loaded = { ...real, decoderWithPast: counting(real.decoderWithPast!, withPastRuns) };
    });

    it.each(Object.keys(ref.strategies))("%s: generate()'s token ids and scores, with the cache", async (name) => {
      const s = ref.strategies[name];
      const options = resolveGenerationOptions(loaded.info.generationDefaults, optionsForKwargs(s.generate_kwargs));
      const before = withPastRuns.n;
      const g = await generate(loaded, ref.inputs, options);
      expected(s).forEach((e, i) => {
        expect(g.sequences[i], `input ${i}`).toEqual(e.ids);
        g.scores[i].forEach((score, j) => expect(Math.abs(score - e.scores[j])).toBeLessThan(1e-4));
      });
      expect(g.usedKvCache).toBe(true);
      // The with-past decoder (or the merged one's cached branch) ran the steps after the first
      expect(withPastRuns.n).toBeGreaterThan(before);
    });
  });

  it.each(["default", "merged-only"])(
    "%s without the cache (useCache false) still equals generate()",
    async (variant) => {
      for (const name of ["greedy", "beam"]) {
        const s = ref.strategies[name];
        const r = await runParaphrase({
          modelName: variant,
          modelsDir: dir,
          inputs: ref.inputs,
          options: { ...optionsForKwargs(s.generate_kwargs), useCache: false },
        });
        expect(r.usedKvCache).toBe(false);
        expect(r.sequences).toEqual(expected(s).map((e) => e.ids));
      }
    },
  );

  it("runs the int8 systems on their quantized files", async () => {
    for (const name of ["int8", "transformers-js (int8)"]) {
      const r = await runParaphrase({ modelName: name, modelsDir: dir, inputs: ref.inputs.slice(0, 2), options: {} });
      expect(r.model.precision).toBe("int8");
      expect(r.usedKvCache).toBe(true);
      expect(r.outputs).toHaveLength(2);
      const onnx = r.model.files.filter((f) => f.endsWith(".onnx"));
      // encoder + separate decoders, or encoder + merged decoder (whichever was measured faster)
      expect([2, 3]).toContain(onnx.length);
      if (name.endsWith("(int8)")) expect(onnx.every((f) => f.endsWith("_quantized.onnx"))).toBe(true);
    }
  });
});

describe("generation_config.json", () => {
  const bart = optimumReference("bart");
  const t5 = optimumReference("t5");
  let tmp: string;
  const variant = (model: OptimumModel, name: string, gen: Record<string, unknown>) => {
    const target = path.join(tmp, `${model}-${name}`);
    cpSync(path.join(OPTIMUM_DIR, model, "default"), target, { recursive: true });
    const file = path.join(target, "generation_config.json");
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, "utf8")), ...gen }));
    return `${model}-${name}`;
  };
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), "gen-config-"));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("forces BART's EOS at the length limit: greedy at 8 and 5 new tokens equal generate()'s", async () => {
    const dir = path.join(OPTIMUM_DIR, "bart");
    const greedy = expected(bart.strategies.greedy).map((e) => e.ids[0]);
    // Greedy search is prefix-deterministic: at 8 new tokens generate() returns the first 7 of its
    // 32-token output and the forced EOS (2), or the same sequence when it ended sooner
    const at8 = greedy.map((ids) => (ids.length <= 9 ? ids : [...ids.slice(0, 8), 2]));
    const r8 = await runParaphrase({
      modelName: "default",
      modelsDir: dir,
      inputs: bart.inputs,
      options: { maxNewTokens: 8 },
    });
    expect(r8.sequences.map((s) => s[0])).toEqual(at8);
    const r5 = await runParaphrase({
      modelName: "default",
      modelsDir: dir,
      inputs: bart.inputs,
      options: { maxNewTokens: 5 },
    });
    expect(r5.sequences.map((s) => s[0])).toEqual(expected(bart.strategies.greedy_max5).map((e) => e.ids[0]));
  });

  it("forces the first token to forced_bos_token_id", async () => {
    const name = variant("bart", "forced-bos", { forced_bos_token_id: 7 });
    const r = await runParaphrase({ modelName: name, modelsDir: tmp, inputs: bart.inputs.slice(0, 3), options: {} });
    for (const [seq] of r.sequences) expect(seq.slice(0, 2)).toEqual([2, 7]);
  });

  it("takes num_beams, length_penalty, no_repeat_ngram_size and max_length from the config, and lets the caller override", async () => {
    const name = variant("t5", "beam-defaults", {
      num_beams: 4,
      length_penalty: 0.6,
      no_repeat_ngram_size: 2,
      early_stopping: false,
      max_length: 33,
    });
    const r = await runParaphrase({ modelName: name, modelsDir: tmp, inputs: t5.inputs, options: {} });
    expect(r.options).toMatchObject({
      strategy: "beam",
      numBeams: 4,
      lengthPenalty: 0.6,
      noRepeatNgramSize: 2,
      maxNewTokens: 32,
    });
    expect(r.sequences.map((s) => s[0])).toEqual(expected(t5.strategies["beam_lp0.6_nrng2"]).map((e) => e.ids[0]));
    // The caller's choices win; the model's beam settings do not apply to greedy search
    const greedy = await runParaphrase({
      modelName: name,
      modelsDir: tmp,
      inputs: t5.inputs,
      options: { strategy: "greedy", maxNewTokens: 5 },
    });
    expect(greedy.options).toMatchObject({ strategy: "greedy", numBeams: 1, noRepeatNgramSize: 2, maxNewTokens: 5 });
  });

  it("reads early_stopping and max_new_tokens", async () => {
    const name = variant("t5", "early", { num_beams: 4, early_stopping: true, max_new_tokens: 5 });
    const r = await runParaphrase({ modelName: name, modelsDir: tmp, inputs: t5.inputs.slice(0, 1), options: {} });
    expect(r.options).toMatchObject({ strategy: "beam", earlyStopping: true, maxNewTokens: 5 });
  });
});

describe("transformers.js precisions the runner cannot run", () => {
  it("reports q4 and fp16 files instead of listing them as systems", async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), "tjs-"));
    try {
      cpSync(path.join(OPTIMUM_DIR, "t5", "transformers-js"), path.join(tmp, "t5"), { recursive: true });
      const onnx = path.join(tmp, "t5", "onnx");
      for (const f of ["encoder_model", "decoder_model_merged"]) {
        cpSync(path.join(onnx, `${f}.onnx`), path.join(onnx, `${f}_fp16.onnx`));
        cpSync(path.join(onnx, `${f}.onnx`), path.join(onnx, `${f}_q4.onnx`));
      }
      const { models, incomplete } = await discoverModels(tmp);
      expect(models.map((m) => m.name).sort()).toEqual(["t5", "t5 (int8)"]);
      expect(incomplete.map((i) => i.name).sort()).toEqual(["t5 (fp16)", "t5 (q4)"]);
      expect(incomplete[0].missing[0]).toMatch(/runs float32 and 8-bit quantized files/);
      expect(await findModel("t5 (fp16)", tmp)).toBeNull();
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe("external data (*.onnx_data, as exports past 2 GB)", () => {
  const t5 = optimumReference("t5");
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), "external-"));
    const src = path.join(OPTIMUM_DIR, "t5", "no-post-process");
    const dst = path.join(tmp, "t5-external");
    cpSync(src, dst, { recursive: true, filter: (f) => !f.endsWith(".onnx") });
    for (const f of ["encoder_model.onnx", "decoder_model.onnx", "decoder_with_past_model.onnx"])
      writeWithExternalData(path.join(src, f), path.join(dst, f));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("is found, counted and sized with its data files, and decodes as generate() with the cache", async () => {
    const { models } = await discoverModels(tmp);
    expect(models).toHaveLength(1);
    const m = models[0];
    expect(m.runFiles).toEqual(
      expect.arrayContaining(["encoder_model.onnx_data", "decoder_with_past_model.onnx_data"]),
    );
    expect(m.parameterCount).toBe(t5.parameters);
    expect(m.sizeOnDiskBytes).toBe(m.runFiles.reduce((a, f) => a + statSync(path.join(m.path, f)).size, 0));
    for (const name of ["greedy", "beam"]) {
      const s = t5.strategies[name];
      const r = await runParaphrase({
        modelName: "t5-external",
        modelsDir: tmp,
        inputs: t5.inputs,
        options: optionsForKwargs(s.generate_kwargs),
      });
      expect(r.usedKvCache).toBe(true);
      expect(r.sequences).toEqual(expected(s).map((e) => e.ids));
    }
  });
});
